// Command ekstoken prints a token for an Amazon EKS cluster, as
// `aws eks get-token` does, for kubectl's exec credential plugin:
//
//	ekstoken --cluster-name NAME [--cluster-id ID] [--role-arn ARN] [--region REGION] [--profile NAME] [--output json|text] [--endpoint-url URL]
//
// Its output is the CLI's, field by field: an ExecCredential whose
// apiVersion comes from KUBERNETES_EXEC_INFO (client.authentication.k8s.io/v1beta1
// when that is unset, malformed or names a version it does not know, with
// the CLI's warnings on stderr), an empty spec, and a status with the
// token and its expirationTimestamp (14 minutes after signing, or the
// credentials' expiry if sooner; the CLI does not look at the latter). A
// kubeconfig entry needs only the command changed:
//
//	users:
//	- name: eks
//	  user:
//	    exec:
//	      apiVersion: client.authentication.k8s.io/v1beta1
//	      command: ekstoken
//	      args: ["--cluster-name", "prod", "--region", "eu-west-1"]
//
// The token is a presigned STS GetCallerIdentity URL (see package iamauth);
// making it calls no AWS service, but --role-arn first assumes the role
// (session name EKSGetTokenAuth), as the CLI does. The URL is the region's
// STS endpoint, or the STS endpoint configured as the CLI reads it
// (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's services section
// or endpoint_url), which is then signed for the region and needs one;
// like the CLI's get-token, ekstoken takes --endpoint-url and does not
// use it. Like the CLI it exits 0,
// 1 without a cluster, 252 for an --output it does not have (the CLI's
// table and yaml), 255 on an error, with the CLI's messages.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// Exit codes, as aws eks get-token uses them.
const (
	exitOK        = 0
	exitNoCluster = 1
	exitUsage     = 252
	exitError     = 255
)

// The client authentication API versions of ExecCredential.
const (
	apiV1      = "client.authentication.k8s.io/v1"
	apiV1beta1 = "client.authentication.k8s.io/v1beta1"
	apiV1alpha = "client.authentication.k8s.io/v1alpha1"
)

type flags struct {
	clusterName, clusterID, roleARN, region, profile, output string
	endpointURL                                              string // accepted and unused, as by the CLI
}

// parseFlags reads the CLI's options, as --name VALUE or --name=VALUE.
func parseFlags(args []string) (flags, error) {
	var f flags
	dst := map[string]*string{
		"--cluster-name": &f.clusterName, "--cluster-id": &f.clusterID, "--role-arn": &f.roleARN,
		"--region": &f.region, "--profile": &f.profile, "--output": &f.output,
		"--endpoint-url": &f.endpointURL,
	}
	var unknown []string
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(args[i], "=")
		p, ok := dst[name]
		switch {
		case !ok:
			unknown = append(unknown, args[i])
			continue
		case !hasValue && i+1 < len(args):
			i++
			value = args[i]
		case !hasValue:
			return f, fmt.Errorf("argument %s: expected one argument", name)
		}
		*p = value
	}
	if len(unknown) > 0 {
		return f, unknownOptions(unknown)
	}
	return f, nil
}

// unknownOptions are arguments that are no option, worded as the CLI
// words them.
type unknownOptions []string

func (u unknownOptions) Error() string { return "Unknown options: " + strings.Join(u, ", ") }

// run is the whole program, with its inputs and outputs passed in so tests
// can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	f, err := parseFlags(args)
	if err != nil {
		fmt.Fprintf(stderr, "\n%v\n", err)
		return exitError
	}
	switch {
	case f.clusterName != "" && f.clusterID != "":
		fmt.Fprintln(stderr, "\nThe key \"cluster_id\" cannot be specified when one of the following keys are also specified: cluster_name")
		return exitError
	case f.output != "" && f.output != "json" && f.output != "text":
		// The CLI also has table and yaml, which kubectl does not read.
		fmt.Fprintf(stderr, "ekstoken: error: argument --output: invalid choice %q (choose from json, text)\n", f.output)
		return exitUsage
	}
	cluster := f.clusterName
	if cluster == "" {
		cluster = f.clusterID
	}

	s, err := load(ctx, f.profile, f.region, f.roleARN, getenv)
	if err == nil && cluster == "" {
		// The CLI resolves its client before it looks for a cluster.
		fmt.Fprintln(stderr, "Either parameter --cluster-name or --cluster-id must be specified.")
		return exitNoCluster
	}
	var tok iamauth.EKSToken
	if err == nil {
		p := &iamauth.Prover{Credentials: s.creds, Endpoint: s.endpoint}
		tok, err = p.EKSToken(ctx, cluster)
	}
	if err != nil {
		fmt.Fprintln(stderr, message(err))
		return exitError
	}

	apiVersion := discoverAPIVersion(getenv("KUBERNETES_EXEC_INFO"), stderr)
	if f.output == "text" {
		// The CLI's text output: the scalars of the top level by key,
		// then a line for status.
		fmt.Fprintf(stdout, "%s\tExecCredential\nSTATUS\t%s\t%s\n\n", apiVersion, timestamp(tok.Expires), tok.Token())
		return exitOK
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	type status struct {
		ExpirationTimestamp string `json:"expirationTimestamp"`
		Token               string `json:"token"`
	}
	err = enc.Encode(struct {
		Kind       string   `json:"kind"`
		APIVersion string   `json:"apiVersion"`
		Spec       struct{} `json:"spec"`
		Status     status   `json:"status"`
	}{Kind: "ExecCredential", APIVersion: apiVersion, Status: status{timestamp(tok.Expires), tok.Token()}})
	if err != nil {
		fmt.Fprintf(stderr, "\n%v\n", err)
		return exitError
	}
	out.WriteByte('\n') // the CLI ends with an empty line
	stdout.Write(out.Bytes())
	return exitOK
}

// timestamp formats t as the CLI does: RFC 3339 in UTC, to the second.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// discoverAPIVersion reads the API version from KUBERNETES_EXEC_INFO as
// the CLI does, warning on stderr where it warns.
func discoverAPIVersion(execInfo string, stderr io.Writer) string {
	if execInfo == "" {
		return apiV1beta1
	}
	var info struct {
		APIVersion any `json:"apiVersion"`
	}
	if json.Unmarshal([]byte(execInfo), &info) != nil {
		fmt.Fprintf(stderr, "Error parsing KUBERNETES_EXEC_INFO, defaulting to %s. This is likely a bug in your Kubernetes client. Please update your Kubernetes client.\n", apiV1beta1)
		return apiV1beta1
	}
	v, _ := info.APIVersion.(string)
	switch v {
	case apiV1, apiV1beta1:
		return v
	case apiV1alpha:
		fmt.Fprintf(stderr, "Kubeconfig user entry is using deprecated API version %s. Run 'aws eks update-kubeconfig' to update.\n", v)
		return v
	}
	fmt.Fprintf(stderr, "Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to %s. This is likely due to an outdated AWS CLI. Please update your AWS CLI.\n", apiV1beta1)
	return apiV1beta1
}

// message words an error as the CLI does where it has words for it.
func message(err error) string {
	var apiErr *sts.APIError
	var call *callError
	var chain *credentials.ChainError
	var cfgErr *callerid.ConfigError
	var valErr *callerid.ValueError
	switch {
	case errors.Is(err, sts.ErrNoRegion):
		return `You must specify a region. You can also configure your region by running "aws configure".`
	case errors.As(err, &cfgErr) && errors.As(cfgErr, &valErr) &&
		(cfgErr.Setting == "sts_regional_endpoints" || cfgErr.Setting == "AWS_STS_REGIONAL_ENDPOINTS"):
		return "\nSTS regional endpoints option " + valErr.Value + ` is invalid. Valid options are: "legacy", "regional"`
	case errors.As(err, &apiErr) && errors.As(err, &call):
		return fmt.Sprintf("\nAn error occurred (%s) when calling the %s operation: %s", apiErr.Code, call.op, apiErr.Message)
	case errors.As(err, &chain) && !errors.As(err, &call):
		return "Unable to locate credentials. You can configure credentials by running \"aws configure\"."
	}
	return "\n" + err.Error()
}
