// Package compat checks callerid's SigV4 signer, STS client and identity
// proofs against real peers: the AWS SDK for Go v2, botocore (the AWS CLI's
// library), moto_server, minio-go, aws-iam-authenticator and consul-awsauth. It is a module of its own so that callerid's go.mod never
// names them.
//
// The package holds the pieces its tests share:
//
//   - Case and Generate: requests drawn from a fixed seed (methods, paths
//     with unicode, spaces, '%' and dot segments, repeated and empty query
//     keys, header values with runs of spaces, multi-value headers, session
//     tokens, bodies up to 64 KiB, regions, services and times);
//   - OursSign, OursPresign, SDKSign, SDKPresign and BotocoreSign: what each
//     signer makes of a Case, in a form that can be compared byte for byte
//     (PresignedView and SameLayout tell how presigned URLs compare);
//   - RecordingTransport: an http.RoundTripper that saves the raw responses
//     of a peer, for tests that replay them offline.
//
// iamauth_test.go sets callerid's identity proofs (package iamauth)
// against aws-iam-authenticator's EKS tokens and consul-awsauth's login
// data, both ways, and benchmarks them (BenchmarkEKSPeers).
//
// DIFFERENCES.md lists where the peers disagree with each other, and which
// of them follows the specification.
package compat
