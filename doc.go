// Package callerid answers "who am I on AWS?" without the AWS SDK.
//
// Whoami finds credentials the way the AWS CLI does, signs an STS
// GetCallerIdentity request with its own Signature Version 4
// implementation, and returns the caller's account, ARN and user id, with
// the ARN classified: IAM user, assumed role, federated user, root.
//
//	id, err := callerid.Whoami(ctx)
//	if err != nil {
//		var apiErr *sts.APIError
//		if errors.As(err, &apiErr) {
//			log.Fatalf("STS refused: %s: %s", apiErr.Code, apiErr.Message)
//		}
//		log.Fatal(err)
//	}
//	fmt.Println(id.Account, id.ARN, id.Principal.Kind)
//
// The work is done by small packages that can be used on their own:
// sigv4 signs (and verifies) requests, credentials finds and caches keys,
// arn parses ARNs and classifies principals, and sts calls STS; sts/ststest
// is a fake STS for tests.
package callerid
