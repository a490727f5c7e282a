package credentials

import (
	"fmt"
	"io"
	"log/slog"
)

// Redacted is what every printer shows in place of a secret that is set.
const Redacted = "<redacted>"

// Secret is a string that no printer shows: a secret access key, a session
// token, an MFA code, a web identity or SSO token. Every type of this
// module that holds a secret holds it as a Secret; a caller who must set
// one, such as sts.AssumeRoleInput's TokenCode, writes NewSecret(value).
//
// Reveal returns the value. String, GoString and Format (every fmt verb)
// write Redacted for a set Secret and "" for the zero one, MarshalJSON
// writes them as a JSON string, LogValue has log/slog log the same, and
// Equal lets github.com/google/go-cmp compare Secrets without looking
// inside. The value is out of reflection's reach too: a Secret in an
// unexported field, which fmt prints without calling its methods, or under
// cmp.Exporter, shows only a pointer.
//
// The zero Secret is the empty string. Secrets are comparable with ==,
// which compares identity: two Secrets made by separate NewSecret calls
// are == only if both are zero; use Equal to compare values.
type Secret struct {
	p *secretBox
}

// secretBox holds the value in a closure: reflection, which fmt and go-cmp
// print with, cannot look into one (a pointer to a string would be
// followed by fmt's %s of an enclosing struct, and by cmp.Diff).
type secretBox struct {
	get func() string
}

// NewSecret returns a Secret holding s; NewSecret("") is the zero Secret.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{p: &secretBox{get: func() string { return s }}}
}

// Reveal returns the secret value.
func (s Secret) Reveal() string {
	if s.p == nil {
		return ""
	}
	return s.p.get()
}

// IsZero reports whether s is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// Equal reports whether s and o hold the same value.
func (s Secret) Equal(o Secret) bool { return s.Reveal() == o.Reveal() }

// String returns Redacted, or "" if s is empty.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return Redacted
}

// GoString is String, so %#v does not show the value.
func (s Secret) GoString() string { return s.String() }

// Format writes String for every verb, so no fmt verb shows the value.
func (s Secret) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// MarshalJSON writes String as a JSON string: "<redacted>" or "".
func (s Secret) MarshalJSON() ([]byte, error) {
	if s.IsZero() {
		return []byte(`""`), nil
	}
	return []byte(`"` + Redacted + `"`), nil
}

// LogValue has log/slog log String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
