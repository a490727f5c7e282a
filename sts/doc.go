// Package sts calls the AWS Security Token Service over its Query protocol.
//
// A Client signs each request with the sigv4 package, sends it to the STS
// endpoint of its region (or to an endpoint you name), and decodes the XML
// answer. GetCallerIdentity tells who the credentials belong to.
//
// Errors that STS itself reports come back as *APIError, with the HTTP
// status, the error code (e.g. "SignatureDoesNotMatch"), the message and
// the request id; answers that are not STS documents at all come back as
// *ResponseError. Both are wrapped in *OperationError, which names the
// operation and endpoint, and are found with errors.As.
package sts
