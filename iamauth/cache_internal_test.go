package iamauth

import (
	"context"
	"testing"
	"time"
)

func TestProofCacheBounded(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	c := newProofCache(3)
	verify := func(until time.Time) func(context.Context) outcome {
		return func(context.Context) outcome { return outcome{id: Identity{ARN: "a"}, until: until} }
	}
	for i := 0; i < 10; i++ {
		k := hashProof(kindEKS, nil, string(rune('a'+i)))
		if _, err := c.do(context.Background(), k, clock, time.Second, verify(now.Add(time.Minute))); err != nil {
			t.Fatal(err)
		}
		if n := c.len(); n > 3 {
			t.Fatalf("%d entries in a cache of 3", n)
		}
	}
	// Expired entries go first.
	now = now.Add(2 * time.Minute)
	k := hashProof(kindEKS, nil, "new")
	if _, err := c.do(context.Background(), k, clock, time.Second, verify(now.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	if n := c.len(); n != 1 {
		t.Errorf("%d entries after the others expired, want 1", n)
	}
	if _, _, ok := c.get(k, now); !ok {
		t.Error("the new entry is not kept")
	}
	// An outcome that may not be kept is not.
	k2 := hashProof(kindEKS, nil, "refused locally")
	if _, err := c.do(context.Background(), k2, clock, time.Second, verify(time.Time{})); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.get(k2, now); ok {
		t.Error("an outcome without an expiry was kept")
	}
}

func TestHashProofSeparates(t *testing.T) {
	seen := map[cacheKey]string{}
	for name, k := range map[string]cacheKey{
		"ab":            hashProof(kindEKS, nil, "ab"),
		"a,b":           hashProof(kindEKS, nil, "a", "b"),
		"login ab":      hashProof(kindLogin, nil, "ab"),
		"ab bound":      hashProof(kindEKS, []Binding{{Header: "X", Value: "1"}}, "ab"),
		"ab bound too":  hashProof(kindEKS, []Binding{{Header: "X", Value: "1"}, {Header: "Y", Value: "2"}}, "ab"),
		"ab bound else": hashProof(kindEKS, []Binding{{Header: "X", Value: "2"}}, "ab"),
	} {
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s hash alike", name, other)
		}
		seen[k] = name
	}
}
