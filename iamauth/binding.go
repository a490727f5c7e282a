package iamauth

import (
	"fmt"
	"slices"
	"strings"
)

// A Binding is a header that a proof carries signed, to bind it to a
// verifier or a moment: EKS's cluster id (ClusterIDHeader), Vault's or
// Consul's server id, a nonce the server handed out (Teleport's
// challenge). STS checks the signature over it, so a proof made for one
// value does not verify with another: the proof cannot be replayed to
// another cluster or server, or after its challenge.
//
// The header's name is compared without regard to case. Its value must be
// printable ASCII without leading, trailing or doubled spaces (so that
// signing does not change it), 1 to MaxBindingValue bytes.
type Binding struct {
	Header string
	Value  string
}

// MaxBindingValue is the longest value of a bound header.
const MaxBindingValue = 1024

// reservedHeaders are header names that cannot be bound: the signer does
// not sign them, the request needs them for something else, or a verifier
// sets them.
var reservedHeaders = map[string]bool{
	"host": true, "authorization": true, "content-type": true, "content-length": true,
	"accept": true, "accept-encoding": true, "user-agent": true, "x-amzn-trace-id": true,
	"expect": true, "connection": true, "keep-alive": true, "proxy-authorization": true,
	"proxy-connection": true, "te": true, "trailer": true, "transfer-encoding": true,
	"upgrade": true, "date": true,
}

// check checks b's name and value.
func (b Binding) check() error {
	lower := strings.ToLower(b.Header)
	switch {
	case !isToken(b.Header) || len(b.Header) > 128:
		return fmt.Errorf("iamauth: %s is not a header name", quote(b.Header))
	case reservedHeaders[lower] || strings.HasPrefix(lower, "x-amz-"):
		return fmt.Errorf("iamauth: the %s header cannot be bound", b.Header)
	case b.Value == "" || len(b.Value) > MaxBindingValue:
		return fmt.Errorf("iamauth: the value of the bound header %s is empty or longer than %d bytes", b.Header, MaxBindingValue)
	case b.Value[0] == ' ' || b.Value[len(b.Value)-1] == ' ' || strings.Contains(b.Value, "  "):
		return fmt.Errorf("iamauth: the value of the bound header %s has leading, trailing or doubled spaces", b.Header)
	}
	for i := 0; i < len(b.Value); i++ {
		if c := b.Value[i]; c < ' ' || c > '~' {
			return fmt.Errorf("iamauth: the value of the bound header %s is not printable ASCII", b.Header)
		}
	}
	return nil
}

// bindingSet is a set of bindings, checked: the names in lower case and
// sorted, "host" among them, for comparison with SignedHeaders.
type bindingSet struct {
	binds  []Binding
	signed []string // lower-case names, sorted, with "host"
}

// checkBindings checks binds: each, and no two with the same name.
func checkBindings(binds []Binding) error {
	for i, b := range binds {
		if err := b.check(); err != nil {
			return err
		}
		for _, o := range binds[:i] {
			if strings.EqualFold(o.Header, b.Header) {
				return fmt.Errorf("iamauth: the %s header is bound twice", b.Header)
			}
		}
	}
	return nil
}

// newBindingSet checks binds and sorts their names.
func newBindingSet(binds ...Binding) (bindingSet, error) {
	if err := checkBindings(binds); err != nil {
		return bindingSet{}, err
	}
	s := bindingSet{binds: binds, signed: make([]string, 0, len(binds)+1)}
	s.signed = append(s.signed, "host")
	for _, b := range binds {
		s.signed = append(s.signed, strings.ToLower(b.Header))
	}
	slices.Sort(s.signed)
	return s, nil
}

// with returns s and more, checked together.
func (s bindingSet) with(more []Binding) (bindingSet, error) {
	if len(more) == 0 {
		return s, nil
	}
	all := make([]Binding, 0, len(s.binds)+len(more))
	return newBindingSet(append(append(all, s.binds...), more...)...)
}
