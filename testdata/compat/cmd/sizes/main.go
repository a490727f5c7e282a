// Command sizes measures what callerid costs a program, against the same
// program written with aws-sdk-go-v2 and a stdlib-only floor.
//
// It builds examples/whoami, cmd/sdkwhoami and cmd/stdlibwhoami with
// CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' into a temporary
// directory, prints their sizes and ratios, then runs each binary -n times
// (after -warmup runs), in turns, against a fake STS on loopback
// (sts/ststest, which checks every signature), and prints the median,
// minimum and 90th percentile of the time from start to exit, and the
// ratios of the medians. Every run must print the same identity.
//
// Usage, from testdata/compat:
//
//	go run ./cmd/sizes [-n 30] [-warmup 3]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/callerid/callerid/sts/ststest"
)

// program is one of the three programs compared.
type program struct {
	name string // as printed
	dir  string // the directory to build in
	pkg  string // the package to build
	bin  string // the binary, once built
	size int64
	runs []time.Duration
}

func main() {
	n := flag.Int("n", 30, "timed runs of each binary")
	warmup := flag.Int("warmup", 3, "untimed runs of each binary first")
	flag.Parse()
	if err := run(*n, *warmup); err != nil {
		fmt.Fprintln(os.Stderr, "sizes:", err)
		os.Exit(1)
	}
}

func run(n, warmup int) error {
	compatDir, err := goList("", "-m", "-f", "{{.Dir}}")
	if err != nil {
		return err
	}
	rootDir, err := goList(compatDir, "-m", "-f", "{{.Dir}}", "github.com/callerid/callerid")
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "callerid-sizes-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	progs := []*program{
		{name: "whoami (callerid)", dir: rootDir, pkg: "./examples/whoami"},
		{name: "sdkwhoami (aws-sdk-go-v2)", dir: compatDir, pkg: "./cmd/sdkwhoami"},
		{name: "stdlibwhoami (floor)", dir: compatDir, pkg: "./cmd/stdlibwhoami"},
	}
	fmt.Printf("%s, GOOS=%s GOARCH=%s; CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'\n\n", goVersion(), goEnv("GOOS"), goEnv("GOARCH"))
	for _, p := range progs {
		p.bin = filepath.Join(tmp, filepath.Base(p.pkg))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", p.bin, p.pkg)
		cmd.Dir = p.dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		cmd.WaitDelay = 10 * time.Second
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			return fmt.Errorf("building %s in %s: %v\n%s", p.pkg, p.dir, err, out)
		}
		fi, err := os.Stat(p.bin)
		if err != nil {
			return err
		}
		p.size = fi.Size()
	}
	who, sdk, floor := progs[0], progs[1], progs[2]
	fmt.Println("binary size")
	for _, p := range progs {
		fmt.Printf("  %-26s %10d bytes  %6.2f MB  %6.2f MiB\n", p.name, p.size, float64(p.size)/1e6, float64(p.size)/(1<<20))
	}
	fmt.Printf("  whoami / floor = %.3f   whoami / sdk = %.3f   sdk / floor = %.3f\n\n",
		ratio(who.size, floor.size), ratio(who.size, sdk.size), ratio(sdk.size, floor.size))

	// Cold starts against a fake STS on loopback.
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "/", "alice")
	want := "{\n    \"UserId\": \"" + key.Identity.UserID + "\",\n    \"Account\": \"" + key.Identity.Account +
		"\",\n    \"Arn\": \"" + key.Identity.ARN + "\"\n}\n"
	env := append([]string{
		"HOME=" + tmp,
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL_STS=" + srv.URL,
	}, key.Env()...)
	for i := 0; i < warmup+n; i++ {
		for j := range progs {
			p := progs[(i+j)%len(progs)] // take turns, so that noise falls on all
			d, err := runOnce(p.bin, env, want)
			if err != nil {
				return fmt.Errorf("%s: %v", p.name, err)
			}
			if i >= warmup {
				p.runs = append(p.runs, d)
			}
		}
	}
	fmt.Printf("start to exit, GetCallerIdentity against a fake STS on %s, %d runs each (after %d warm-up runs)\n", srv.URL, n, warmup)
	for _, p := range progs {
		slices.Sort(p.runs)
		fmt.Printf("  %-26s median %8v   min %8v   p90 %8v\n", p.name, median(p.runs).Round(time.Microsecond),
			p.runs[0].Round(time.Microsecond), p.runs[len(p.runs)*9/10].Round(time.Microsecond))
	}
	fmt.Printf("  whoami / floor = %.3f   whoami / sdk = %.3f   sdk / floor = %.3f\n",
		ratio(int64(median(who.runs)), int64(median(floor.runs))), ratio(int64(median(who.runs)), int64(median(sdk.runs))),
		ratio(int64(median(sdk.runs)), int64(median(floor.runs))))
	return nil
}

// runOnce runs bin once in env and returns how long it took, from start
// to exit, checking that it printed want.
func runOnce(bin string, env []string, want string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, stderr.String())
	}
	if stdout.String() != want {
		return 0, fmt.Errorf("printed %q, want %q", stdout.String(), want)
	}
	return d, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratio(a, b int64) float64 { return float64(a) / float64(b) }

func goList(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %v: %v", args, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func goEnv(name string) string {
	out, _ := exec.Command("go", "env", name).Output()
	return strings.TrimSpace(string(out))
}

func goVersion() string {
	out, _ := exec.Command("go", "version").Output()
	return strings.TrimSpace(string(out))
}
