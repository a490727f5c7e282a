package compat

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/callerid/callerid/internal/httpreplay"
)

// RecordingTransport is an http.RoundTripper that can save each response
// exactly as it came off the wire: status line, CRLF-terminated headers, a
// blank line and the body, the form internal/httpreplay reads.
//
// It sends every request on a connection of its own, which it closes
// afterwards, so that the bytes of one response are told apart; it reads
// the whole body before returning the response. With Dir empty it saves
// nothing, so tests can use it whether they record or not.
type RecordingTransport struct {
	// Dir is the directory recordings are written to; empty means none
	// are.
	Dir string

	mu   sync.Mutex
	next string
}

// Name names the recording of the next response: Dir/name.http. A response
// with no name is not saved.
func (rt *RecordingTransport) Name(name string) {
	rt.mu.Lock()
	rt.next = name
	rt.mu.Unlock()
}

// RoundTrip sends req on a new connection and returns the response, with
// its body read in full; when Dir and a name are set it first checks that
// the raw response parses as a recording and writes it.
func (rt *RecordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	name := rt.next
	rt.next = ""
	rt.mu.Unlock()

	raw := &lockedBuffer{}
	tr := &http.Transport{
		DisableKeepAlives:     true,
		DisableCompression:    true,
		ResponseHeaderTimeout: 30 * time.Second,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &teeConn{Conn: c, w: raw}, nil
		},
	}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rt.Dir == "" || name == "" {
		return resp, nil
	}
	rec := raw.Bytes()
	if _, err := httpreplay.Parse(rec); err != nil {
		return nil, fmt.Errorf("recording %s: the response does not parse back: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(rt.Dir, name+".http"), rec, 0o644); err != nil {
		return nil, err
	}
	return resp, nil
}

// teeConn copies what is read from a connection.
type teeConn struct {
	net.Conn
	w io.Writer
}

func (c *teeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.Write(p[:n])
	return n, err
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.b.Bytes())
}
