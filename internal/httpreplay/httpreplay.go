// Package httpreplay serves recorded raw HTTP responses from a loopback
// server, for tests that replay what a real peer once answered.
//
// A recording is an HTTP/1.1 response as it came off the wire: status
// line, CRLF-terminated headers, a blank line and a body of exactly
// Content-Length bytes.
package httpreplay

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
)

// Recording is one recorded response.
type Recording struct {
	StatusCode int         // the status line's code
	Header     http.Header // the headers as recorded
	Body       []byte      // exactly Content-Length bytes
}

// Load reads and parses the recording in file.
func Load(file string) (*Recording, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	rec, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("httpreplay: %s: %w", file, err)
	}
	return rec, nil
}

// Parse parses a raw response. The body must be exactly Content-Length
// bytes long when the header is present.
func Parse(raw []byte) (*Recording, error) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if cl := resp.Header.Get("Content-Length"); cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n != len(body) {
			return nil, fmt.Errorf("Content-Length %q but the body has %d bytes", cl, len(body))
		}
	}
	return &Recording{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// Server is a loopback HTTP server that answers every request with a
// recording and remembers the requests it got.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	requests []*Request
}

// Request is what the server received.
type Request struct {
	Method string      // the request's method
	Path   string      // the URL's path, decoded
	Header http.Header // the headers received
	Body   []byte      // the body, at most 1 MiB of it
}

// NewServer starts a server answering with rec. Close it when done.
func NewServer(rec *Recording) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		s.mu.Lock()
		s.requests = append(s.requests, &Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		s.mu.Unlock()
		for k, vs := range rec.Header {
			if k == "Connection" {
				continue
			}
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.StatusCode)
		w.Write(rec.Body)
	}))
	return s
}

// Requests returns the requests received so far.
func (s *Server) Requests() []*Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Request(nil), s.requests...)
}
