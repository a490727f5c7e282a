//go:build !unix

package regularfile

// openFlags is 0 where there is no O_NONBLOCK: Read stats the path before
// opening it.
const openFlags = 0
