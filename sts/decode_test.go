package sts

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadLimited(t *testing.T) {
	const limit = 100
	for _, tt := range []struct {
		name     string
		body     string
		expected int64
		want     int // bytes returned
	}{
		{"empty", "", 0, 0},
		{"empty unknown", "", -1, 0},
		{"small known", "hello", 5, 5},
		{"small unknown", "hello", -1, 5},
		{"known size wrong", "hello", 2, 5},
		{"at limit", strings.Repeat("x", limit), limit, limit},
		{"over limit", strings.Repeat("x", 3*limit), -1, limit},
		{"over limit, told", strings.Repeat("x", 3*limit), 3 * limit, limit},
	} {
		// One byte at a time, to exercise the growing.
		got, err := readLimited(iotest.OneByteReader(strings.NewReader(tt.body)), tt.expected, limit)
		if err != nil || len(got) != tt.want || !strings.HasPrefix(tt.body, string(got)) {
			t.Errorf("%s: %d bytes, %v; want %d", tt.name, len(got), err, tt.want)
		}
	}
	boom := errors.New("connection reset")
	_, err := readLimited(io.MultiReader(bytes.NewReader([]byte("abc")), iotest.ErrReader(boom)), -1, limit)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}
