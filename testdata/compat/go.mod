module github.com/callerid/callerid/testdata/compat

go 1.24.0

require (
	github.com/aws/aws-sdk-go-v2 v1.47.7
	github.com/aws/smithy-go v1.28.8
	github.com/callerid/callerid v0.0.0
	github.com/google/go-cmp v0.7.0
)

replace github.com/callerid/callerid => ../..
