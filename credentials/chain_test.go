package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestChain(t *testing.T) {
	nothing := func(src string) Provider {
		return ProviderFunc(func(context.Context) (Credentials, error) {
			return Credentials{}, &Error{Source: src, Err: ErrNotFound}
		})
	}
	broken := ProviderFunc(func(context.Context) (Credentials, error) {
		return Credentials{}, &Error{Source: "Broken", Err: errors.New("file is malformed")}
	})
	var asked []string
	tracking := func(p Provider, name string) Provider {
		return ProviderFunc(func(ctx context.Context) (Credentials, error) {
			asked = append(asked, name)
			return p.Retrieve(ctx)
		})
	}

	t.Run("first that finds wins", func(t *testing.T) {
		asked = nil
		c := NewChain(tracking(nothing("A"), "A"), tracking(NewStaticProvider("AKID", "s", ""), "B"), tracking(broken, "C"))
		got, err := c.Retrieve(context.Background())
		if err != nil || got.Source != "StaticProvider" {
			t.Fatalf("got %v, %v", got, err)
		}
		if strings.Join(asked, ",") != "A,B" {
			t.Errorf("asked %v", asked)
		}
	})
	t.Run("a failure stops the chain", func(t *testing.T) {
		asked = nil
		c := NewChain(tracking(nothing("A"), "A"), tracking(broken, "C"), tracking(NewStaticProvider("AKID", "s", ""), "B"))
		_, err := c.Retrieve(context.Background())
		if err == nil || err.Error() != "credentials: Broken: file is malformed" {
			t.Fatalf("err = %v", err)
		}
		if strings.Join(asked, ",") != "A,C" {
			t.Errorf("asked %v", asked)
		}
	})
	t.Run("nothing found", func(t *testing.T) {
		_, err := NewChain(nothing("A"), nothing("B")).Retrieve(context.Background())
		var ce *ChainError
		if !errors.As(err, &ce) || len(ce.Errors) != 2 || !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want a *ChainError of 2 that is ErrNotFound", err)
		}
		want := "credentials: no credentials found; tried:\n\tA: no credentials found\n\tB: no credentials found"
		if err.Error() != want {
			t.Errorf("err =\n%s\nwant\n%s", err, want)
		}
	})
	t.Run("empty", func(t *testing.T) {
		_, err := NewChain().Retrieve(context.Background())
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := NewChain(NewStaticProvider("A", "S", "")).Retrieve(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}
