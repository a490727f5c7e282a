package iamauth_test

import (
	"context"
	"testing"

	"github.com/callerid/callerid/iamauth"
)

// The benchmarks share one clock (the proofs stay valid however long they
// run) and a fake STS on loopback.
//
//	go test -run '^$' -bench . -benchmem ./iamauth

// BenchmarkCheckEKSToken measures the local checks of an EKS token (target:
// at most 5 µs and 8 allocations).
func BenchmarkCheckEKSToken(b *testing.B) {
	e := newEnv(b, nil)
	tok := e.token(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := e.verifier.CheckEKSToken(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyEKSToken measures a whole verification against the fake
// STS (which checks the signature), without the cache, and a repeated one
// answered from the cache (target: a million a second, no call).
func BenchmarkVerifyEKSToken(b *testing.B) {
	ctx := context.Background()
	b.Run("sts", func(b *testing.B) {
		e := newEnv(b, func(o *iamauth.VerifierOptions) { o.CacheSize = -1 })
		tok := e.token(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		e := newEnv(b, nil)
		tok := e.token(b)
		if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if n := e.calls(); n != 1 {
			b.Fatalf("%d calls to STS", n)
		}
	})
	b.Run("cached-parallel", func(b *testing.B) {
		e := newEnv(b, nil)
		tok := e.token(b)
		if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkEKSToken measures making an EKS token.
func BenchmarkEKSToken(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.prover.EKSToken(ctx, testCluster); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoginPayload measures making a login payload.
func BenchmarkLoginPayload(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.prover.LoginPayload(ctx, iamauth.LoginOptions{ServerID: testServerID}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyLogin measures the local checks of a login payload, and
// a whole verification against the fake STS without the cache.
func BenchmarkVerifyLogin(b *testing.B) {
	ctx := context.Background()
	b.Run("check", func(b *testing.B) {
		e := newEnv(b, nil)
		p := e.payload(b, iamauth.LoginOptions{})
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := e.verifier.CheckLogin(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sts", func(b *testing.B) {
		e := newEnv(b, func(o *iamauth.VerifierOptions) { o.CacheSize = -1 })
		p := e.payload(b, iamauth.LoginOptions{})
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := e.verifier.VerifyLogin(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
