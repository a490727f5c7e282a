package credentials

import (
	"context"
	"errors"
	"fmt"
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
		if err == nil || err.Error() != "Broken: file is malformed" {
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

// TestChainMovesOnOnlyWhenTheProviderFoundNothing checks which errors let a
// Chain move on: those that wrap ErrNotFound through at most the
// provider's own *Error, however else they are wrapped.
func TestChainMovesOnOnlyWhenTheProviderFoundNothing(t *testing.T) {
	nothing := &Error{Source: "A", Err: fmt.Errorf("%w: nothing set", ErrNotFound)}
	chainOfNothing := &ChainError{Errors: []error{nothing, &Error{Source: "B", Err: ErrNotFound}}}
	tests := []struct {
		name     string
		err      error
		moveOn   bool
		isNotFnd bool // what errors.Is(err, ErrNotFound) says
	}{
		{"bare ErrNotFound", ErrNotFound, true, true},
		{"wrapped ErrNotFound", fmt.Errorf("x: %w", ErrNotFound), true, true},
		{"a provider found nothing", nothing, true, true},
		{"a chain found nothing", chainOfNothing, true, true},
		{"a chain in a chain found nothing", &ChainError{Errors: []error{chainOfNothing}}, true, true},
		{"a provider failed", &Error{Source: "A", Err: errors.New("malformed")}, false, false},
		{"a role whose source found nothing", &Error{Source: "Role", Err: fmt.Errorf("source credentials: %w", nothing)}, false, true},
		{"a role whose source chain found nothing", &Error{Source: "Role", Err: fmt.Errorf("source: %w", chainOfNothing)}, false, true},
		{"a failure next to nothing", errors.Join(&Error{Source: "A", Err: errors.New("bad")}, fmt.Errorf("%w", ErrNotFound)), true, true},
		{"context canceled", context.Canceled, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isNotFound(tt.err); got != tt.moveOn {
				t.Errorf("isNotFound = %v, want %v", got, tt.moveOn)
			}
			if got := errors.Is(tt.err, ErrNotFound); got != tt.isNotFnd {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", got, tt.isNotFnd)
			}
			failing := ProviderFunc(func(context.Context) (Credentials, error) { return Credentials{}, tt.err })
			c, err := NewChain(failing, NewStaticProvider("AKIDNEXT", "s", "")).Retrieve(context.Background())
			if moved := err == nil && c.AccessKeyID == "AKIDNEXT"; moved != tt.moveOn {
				t.Errorf("chain moved on: %v, want %v (err %v)", moved, tt.moveOn, err)
			}
		})
	}
}
