//go:build !unix

package credentials

// openNonblock is 0 where there is no O_NONBLOCK; the cache file is still
// checked to be a regular file before it is opened, and read under the
// caller's context.
const openNonblock = 0
