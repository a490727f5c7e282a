// Package callerid answers "who am I on AWS?" without the AWS SDK, and
// reads the AWS CLI's configuration, in one place, for programs that call
// AWS themselves.
//
// LoadConfig reads the environment and the shared config and credentials
// files once, the way the AWS CLI reads them, and returns a Config: the
// profile and region in use, a cached credentials provider built as the
// AWS CLI builds its credential chain (environment, role_arn with
// source_profile or credential_source, web identity, IAM Identity Center
// (SSO) profiles, credential_process, the shared files, container and
// instance metadata), and the typed
// settings of STS clients, which Config.STS hands out.
//
//	cfg, err := callerid.LoadConfig(ctx, callerid.WithProfile("dev"))
//	...
//	client, err := cfg.STS()
//
// Whoami is LoadConfig, one GetCallerIdentity call and the classification
// of the caller's ARN: IAM user, assumed role, federated user, root.
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
// Errors keep their types through every layer: *ConfigError for the
// configuration (with an *SSOConfigError inside for an SSO profile that
// lacks keys), *credentials.Error for a source of credentials (with a
// *credentials.SSOTokenError inside for a missing or expired SSO token), and
// *sts.OperationError and *sts.APIError for STS; find them with errors.As.
//
// The work is done by small packages that can be used on their own:
// credentials holds what credentials are and the sources that need no STS;
// sigv4 signs (and verifies) requests; arn parses ARNs and classifies
// principals; sts calls STS and provides the credentials that need it;
// sts/ststest is a fake STS for tests. This package is above them all and
// none of them imports it.
package callerid
