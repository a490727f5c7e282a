package ststest

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

const (
	namespace  = "https://sts.amazonaws.com/doc/2011-06-15/"
	apiVersion = "2011-06-15"
)

type responseMetadata struct {
	RequestID string `xml:"RequestId" json:"RequestId"`
}

type getCallerIdentityResult struct {
	// STS sends Arn, UserId, Account in this order.
	ARN     string `xml:"Arn" json:"Arn"`
	UserID  string `xml:"UserId" json:"UserId"`
	Account string `xml:"Account" json:"Account"`
}

// MarshalJSON writes the result as STS's JSON form has it: its members in
// alphabetical order (the XML form has them in the order Arn, UserId,
// Account).
func (r getCallerIdentityResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Account string `json:"Account"`
		ARN     string `json:"Arn"`
		UserID  string `json:"UserId"`
	}{r.Account, r.ARN, r.UserID})
}

type getCallerIdentityResponse struct {
	XMLName  xml.Name                `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse" json:"-"`
	Result   getCallerIdentityResult `xml:"GetCallerIdentityResult" json:"GetCallerIdentityResult"`
	Metadata responseMetadata        `xml:"ResponseMetadata" json:"ResponseMetadata"`
}

type stsCredentials struct {
	AccessKeyID     string    `xml:"AccessKeyId" json:"AccessKeyId"`
	SecretAccessKey string    `xml:"SecretAccessKey" json:"SecretAccessKey"`
	SessionToken    string    `xml:"SessionToken" json:"SessionToken"`
	Expiration      time.Time `xml:"Expiration" json:"-"`
}

// MarshalJSON writes Expiration as STS's JSON form does: seconds since the
// epoch.
func (c stsCredentials) MarshalJSON() ([]byte, error) {
	type plain stsCredentials
	return json.Marshal(struct {
		plain
		Expiration json.Number `json:"Expiration"`
	}{plain(c), json.Number(strconv.FormatInt(c.Expiration.Unix(), 10))})
}

type assumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId" json:"AssumedRoleId"`
	ARN           string `xml:"Arn" json:"Arn"`
}

type assumeRoleResult struct {
	Credentials      stsCredentials  `xml:"Credentials" json:"Credentials"`
	AssumedRoleUser  assumedRoleUser `xml:"AssumedRoleUser" json:"AssumedRoleUser"`
	PackedPolicySize *int            `xml:"PackedPolicySize,omitempty" json:"PackedPolicySize,omitempty"`
	SourceIdentity   string          `xml:"SourceIdentity,omitempty" json:"SourceIdentity,omitempty"`
}

type assumeRoleResponse struct {
	XMLName  xml.Name         `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse" json:"-"`
	Result   assumeRoleResult `xml:"AssumeRoleResult" json:"AssumeRoleResult"`
	Metadata responseMetadata `xml:"ResponseMetadata" json:"ResponseMetadata"`
}

type assumeRoleWithWebIdentityResult struct {
	SubjectFromWebIdentityToken string          `xml:"SubjectFromWebIdentityToken" json:"SubjectFromWebIdentityToken"`
	Audience                    string          `xml:"Audience" json:"Audience"`
	AssumedRoleUser             assumedRoleUser `xml:"AssumedRoleUser" json:"AssumedRoleUser"`
	Credentials                 stsCredentials  `xml:"Credentials" json:"Credentials"`
	Provider                    string          `xml:"Provider" json:"Provider"`
}

type assumeRoleWithWebIdentityResponse struct {
	XMLName  xml.Name                        `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleWithWebIdentityResponse" json:"-"`
	Result   assumeRoleWithWebIdentityResult `xml:"AssumeRoleWithWebIdentityResult" json:"AssumeRoleWithWebIdentityResult"`
	Metadata responseMetadata                `xml:"ResponseMetadata" json:"ResponseMetadata"`
}

type errorDoc struct {
	Type    string `xml:"Type" json:"Type"`
	Code    string `xml:"Code" json:"Code"`
	Message string `xml:"Message" json:"Message"`
}

type errorResponse struct {
	XMLName   xml.Name  `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse" json:"-"`
	Error     *errorDoc `xml:"Error" json:"Error"`
	RequestID string    `xml:"RequestId" json:"RequestId"`
}

// writeAnswer writes a as XML, or as JSON when the client asked for it,
// with the request id in the document.
func writeAnswer(w http.ResponseWriter, a *answer, wantJSON bool, reqID string) {
	md := responseMetadata{RequestID: reqID}
	var doc any
	var jsonName string
	switch d := a.doc.(type) {
	case *errorDoc:
		doc = &errorResponse{Error: d, RequestID: reqID}
	case *getCallerIdentityResponse:
		d.Metadata, doc, jsonName = md, d, "GetCallerIdentityResponse"
	case *assumeRoleResponse:
		d.Metadata, doc, jsonName = md, d, "AssumeRoleResponse"
	case *assumeRoleWithWebIdentityResponse:
		d.Metadata, doc, jsonName = md, d, "AssumeRoleWithWebIdentityResponse"
	}
	var body []byte
	var err error
	if wantJSON {
		if jsonName != "" {
			body, err = json.Marshal(map[string]any{jsonName: doc})
		} else {
			body, err = json.Marshal(doc)
		}
		w.Header().Set("Content-Type", "application/json")
	} else {
		body, err = xml.MarshalIndent(doc, "", "  ")
		body = append(body, '\n')
		w.Header().Set("Content-Type", "text/xml")
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(a.status)
	w.Write(body)
}
