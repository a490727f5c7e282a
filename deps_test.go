package callerid_test

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/callerid/callerid"

// TestImportGraph fails on an import edge that points the wrong way
// (see DESIGN.md): arn and credentials are leaves; sigv4 stands on
// credentials, sts on sigv4, credentials and arn; the root package is
// above them all and no library package imports it; the test helpers in
// internal/peertest, internal/httpreplay, internal/ssotest and
// internal/redacttest are imported by tests only.
// It reads the module's packages and their dependencies, direct and
// indirect, from go list -deps.
func TestImportGraph(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}:{{join .Deps \" \"}}{{end}}", "./...").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{} // package -> the module's packages it depends on
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, list, _ := strings.Cut(line, ":")
		if !strings.HasPrefix(pkg, module) {
			continue
		}
		var mine []string
		for _, d := range strings.Fields(list) {
			if d == module || strings.HasPrefix(d, module+"/") {
				mine = append(mine, strings.TrimPrefix(strings.TrimPrefix(d, module), "/"))
			}
		}
		sort.Strings(mine)
		deps[strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")] = mine
	}
	for _, want := range []string{"", "arn", "credentials", "sigv4", "sts", "sts/ststest", "internal/ini"} {
		if _, ok := deps[want]; !ok {
			t.Fatalf("go list did not list package %q; got %v", want, deps)
		}
	}

	none := func(string) bool { return false }
	internal := func(d string) bool {
		return strings.HasPrefix(d, "internal/") && !testOnly(d)
	}
	// allowed[p] says which of the module's packages p may depend on.
	allowed := map[string]func(string) bool{
		"arn":                  none,
		"internal/ini":         none,
		"internal/shlex":       none,
		"internal/httpreplay":  none,
		"internal/peertest":    none,
		"internal/ssotest":     none,
		"internal/redacttest":  none,
		"internal/peertext":    none,
		"internal/backoff":     none,
		"internal/retrymode":   none,
		"internal/regularfile": none,
		"internal/httpsafe":    func(d string) bool { return d == "internal/peertext" },
		"internal/transient":   func(d string) bool { return d == "internal/httpsafe" || d == "internal/peertext" },
		"credentials":          internal,
		"sigv4":                func(d string) bool { return d == "credentials" || internal(d) },
		"sts":                  func(d string) bool { return d == "sigv4" || d == "credentials" || d == "arn" || internal(d) },
		"sts/ststest": func(d string) bool {
			return d == "sts" || d == "sigv4" || d == "credentials" || d == "arn" || internal(d)
		},
		// iamauth sits above sts, beside the root package: never on it.
		"iamauth": func(d string) bool {
			return d == "sts" || d == "sigv4" || d == "credentials" || d == "arn" || internal(d)
		},
	}
	for pkg, ds := range deps {
		root := pkg == ""
		example := strings.HasPrefix(pkg, "examples/") || strings.HasPrefix(pkg, "testdata/")
		for _, d := range ds {
			switch {
			case testOnly(d):
				t.Errorf("%s imports %s, which only tests may", show(pkg), d)
			case d == "" && !example:
				t.Errorf("%s imports the root package, which is above every library package", show(pkg))
			case !root && !example && allowed[pkg] != nil && !allowed[pkg](d):
				t.Errorf("%s imports %s, against the design", show(pkg), show(d))
			}
		}
	}
}

// testOnly reports whether d is a test helper that only tests may import.
func testOnly(d string) bool {
	return d == "internal/peertest" || d == "internal/httpreplay" || d == "internal/ssotest" || d == "internal/redacttest"
}

func show(pkg string) string {
	if pkg == "" {
		return module
	}
	return module + "/" + pkg
}
