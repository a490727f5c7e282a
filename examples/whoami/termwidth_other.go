//go:build !(linux || darwin)

package main

import "os"

// terminalWidth is 80, the AWS CLI's width for tables when it cannot
// read the terminal's.
func terminalWidth(*os.File) int { return 80 }
