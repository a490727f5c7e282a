package backoff

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name      string
		n         int
		base, max time.Duration
		j         float64
		want      time.Duration
	}{
		{"first retry, whole share", 1, s, 20 * s, 0.999999, 999999 * time.Microsecond},
		{"first retry, half", 1, s, 20 * s, 0.5, s / 2},
		{"second retry doubles", 2, s, 20 * s, 0.5, s},
		{"fifth retry", 5, s, 20 * s, 0.5, 8 * s},
		{"capped", 6, s, 20 * s, 0.5, 10 * s},
		{"uncapped", 6, s, 0, 0.5, 16 * s},
		{"no share", 3, s, 20 * s, 0, 0},
		{"negative share counts as none", 3, s, 20 * s, -0.5, 0},
		{"share of one counts as none", 3, s, 20 * s, 1, 0},
		{"NaN share counts as none", 3, s, 20 * s, math.NaN(), 0},
		{"uncapped, huge n, no overflow", 200, s, 0, 0.5, time.Duration(math.MaxInt64)},
		{"capped, huge n", 200, s, 20 * s, 0.5, 10 * s},
		{"infinite ceiling", 2000, s, 0, 0.5, time.Duration(math.MaxInt64)},
	}
	for _, tt := range tests {
		if got := Delay(tt.n, tt.base, tt.max, tt.j); got != tt.want {
			t.Errorf("%s: Delay(%d, %v, %v, %v) = %v, want %v", tt.name, tt.n, tt.base, tt.max, tt.j, got, tt.want)
		}
	}
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("Sleep: %v", err)
	}
	if err := Sleep(context.Background(), -time.Second); err != nil {
		t.Errorf("Sleep of a negative time: %v", err)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(done, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(done, 0) = %v, want context.Canceled", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sleep past the deadline = %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Sleep ignored the deadline: %v", elapsed)
	}
}
