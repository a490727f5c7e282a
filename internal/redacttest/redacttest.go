// Package redacttest checks that a value holding secrets shows none of
// them through any printer: every fmt verb (on the value, on a pointer to
// it, and on structs holding it in exported and unexported fields),
// encoding/json, log/slog's text and JSON handlers, and go-cmp's Diff
// (also with cmp.Exporter, which reaches into unexported fields). Tests
// only.
package redacttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// Verbs are the fmt verbs every value is printed with.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%t", "%d", "%e", "%p"}

// A Case is a value and the secrets it holds. Other, if not nil, is a
// value of the same type with other secrets, for cmp.Diff.
type Case struct {
	Name    string
	Value   any
	Other   any
	Secrets []string
	// Settings says the secrets are in the caller's own exported settings
	// (a command line, an environment), which the type's methods leave
	// out but which reflection can reach: fmt's raw printing of an
	// unexported field and cmp.Diff are not checked.
	Settings bool
}

const pkgPath = "github.com/callerid/callerid/internal/redacttest"

type holder struct {
	v any
	V any
}

// Check reports, with t.Errorf, every output of c.Value that contains one
// of c.Secrets, naming the printer.
func Check(t *testing.T, c Case) {
	t.Helper()
	if len(c.Secrets) == 0 {
		t.Fatalf("%s: no planted secret", c.Name)
	}
	check := func(how, out string) {
		t.Helper()
		for _, s := range c.Secrets {
			if s != "" && strings.Contains(out, s) {
				t.Errorf("%s: %s shows secret %q: %s", c.Name, how, s, cut(out))
			}
		}
	}
	ptr := reflect.New(reflect.TypeOf(c.Value))
	ptr.Elem().Set(reflect.ValueOf(c.Value))
	values := map[string]any{
		"value":                        c.Value,
		"pointer":                      ptr.Interface(),
		"struct holding it":            holder{c.Value, c.Value},
		"pointer to struct holding it": &holder{c.Value, c.Value},
		"slice":                        []any{c.Value},
		"map":                          map[string]any{"k": c.Value},
	}
	// Structs with the value's own type (not behind an interface) in
	// unexported fields, where fmt calls no method on it, set through
	// unsafe as a program's own struct would be.
	st := reflect.StructOf([]reflect.StructField{
		{Name: "f", Type: reflect.TypeOf(c.Value), PkgPath: pkgPath},
		{Name: "p", Type: ptr.Type(), PkgPath: pkgPath},
	})
	typed := reflect.New(st)
	for i, v := range []reflect.Value{reflect.ValueOf(c.Value), ptr} {
		f := typed.Elem().Field(i)
		reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(v)
	}
	values["struct holding it in unexported fields"] = typed.Elem().Interface()
	values["pointer to struct holding it in unexported fields"] = typed.Interface()
	if c.Settings {
		values = map[string]any{"value": c.Value, "pointer": ptr.Interface(), "struct holding it": struct{ V any }{c.Value}}
		c.Other = nil
	}
	for what, v := range values {
		for _, verb := range Verbs {
			check(fmt.Sprintf("fmt %s of the %s", verb, what), fmt.Sprintf(verb, v))
		}
		if b, err := json.Marshal(v); err == nil {
			check("json.Marshal of the "+what, string(b))
		}
		for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
			"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"slog JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var b bytes.Buffer
			slog.New(h(&b)).Info("msg", "v", v, slog.Any("any", v), slog.Group("g", "v", v))
			check(name+" of the "+what, b.String())
		}
		if err, ok := v.(error); ok {
			check("Error of the "+what, err.Error())
		}
		if s, ok := v.(fmt.Stringer); ok {
			check("String of the "+what, s.String())
		}
	}
	if c.Other != nil {
		diff := func(opts ...cmp.Option) (out string) {
			defer func() {
				if r := recover(); r != nil {
					out = "" // cmp refuses unexported fields: nothing shown
				}
			}()
			return cmp.Diff(c.Value, c.Other, opts...)
		}
		check("cmp.Diff", diff())
		check("cmp.Diff with cmp.Exporter", diff(cmp.Exporter(func(reflect.Type) bool { return true })))
		d := func() (out string) {
			defer func() {
				if r := recover(); r != nil {
					out = ""
				}
			}()
			return cmp.Diff(holder{c.Value, c.Value}, holder{c.Other, c.Other}, cmp.Exporter(func(reflect.Type) bool { return true }))
		}()
		check("cmp.Diff of structs holding them", d)
	}
}

func cut(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}
