package credentials

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxTokenFileSize bounds what is read of a token file.
const maxTokenFileSize = 1 << 20

// ReadTokenFile reads a web identity token (an OIDC JWT, such as the
// service account token EKS projects into a pod) from the file at path,
// as the AWS CLI reads AWS_WEB_IDENTITY_TOKEN_FILE or a profile's
// web_identity_token_file, for STS AssumeRoleWithWebIdentity (see the sts
// package's WebIdentityProvider). Read it again for every call: whoever
// writes the file rotates the token.
//
// Surrounding whitespace is trimmed (a JWT has none; botocore sends the
// file as it is). An empty file, or one larger than 1 MiB, is an error.
// Errors name the path, never the content: the token is a secret.
func ReadTokenFile(path string) (string, error) {
	if path == "" {
		return "", errors.New("no token file path")
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err // an *fs.PathError, which names the path
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFileSize+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxTokenFileSize {
		return "", fmt.Errorf("%s: file is larger than %d KiB", path, maxTokenFileSize>>10)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", fmt.Errorf("%s is empty", path)
	}
	return string(b), nil
}
