package credentials

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/callerid/callerid/internal/regularfile"
)

// ErrNotRegularFile is the cause, wrapped in an *fs.PathError naming the
// path, of the error for a file the library was told to read (a token
// file, a shared config or credentials file, an SSO cache file) that is
// not a regular file: a FIFO, a device, a socket or a directory. Such a
// file is refused before anything is read from it, so that it cannot
// block past the caller's context.
var ErrNotRegularFile = regularfile.ErrNotRegular

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
// A path that names something other than a regular file (a FIFO, which
// would block the read until a writer came, a device, a directory) is
// refused at once with an *fs.PathError wrapping ErrNotRegularFile.
// Errors name the path, never the content: the token is a secret.
func ReadTokenFile(path string) (string, error) {
	if path == "" {
		return "", errors.New("no token file path")
	}
	b, err := regularfile.Read(path, maxTokenFileSize)
	if err != nil {
		return "", err // names the path
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", fmt.Errorf("%s is empty", path)
	}
	return string(b), nil
}
