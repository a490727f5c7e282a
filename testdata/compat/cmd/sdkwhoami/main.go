// Command sdkwhoami is examples/whoami written with aws-sdk-go-v2, for
// comparing binary sizes and start-up times: config.LoadDefaultConfig,
// then STS GetCallerIdentity, printed as `aws sts get-caller-identity`
// does (and as whoami prints it). It takes no flags: the region, endpoint
// and credentials come from the environment and shared files, as
// LoadDefaultConfig finds them.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func main() {
	os.Exit(run(context.Background(), os.Stdout, os.Stderr))
}

// run is the program; opts are added to LoadDefaultConfig's (tests use
// them to read no file of the machine).
func run(ctx context.Context, stdout, stderr io.Writer, opts ...func(*config.LoadOptions) error) int {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "\n%v\n", err)
		return 255
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			fmt.Fprintf(stderr, "\nAn error occurred (%s) when calling the GetCallerIdentity operation: %s\n", apiErr.ErrorCode(), apiErr.ErrorMessage())
		} else {
			fmt.Fprintf(stderr, "\n%v\n", err)
		}
		return 255
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	err = enc.Encode(struct {
		UserID  string `json:"UserId"`
		Account string `json:"Account"`
		ARN     string `json:"Arn"`
	}{aws.ToString(out.UserId), aws.ToString(out.Account), aws.ToString(out.Arn)})
	if err != nil {
		return 255
	}
	return 0
}
