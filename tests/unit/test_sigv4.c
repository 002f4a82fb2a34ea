/* SigV4 against AWS's published S3 examples ("Signature Calculations for
 * the Authorization Header: Transferring Payload in a Single Chunk",
 * Amazon S3 API reference): the signatures below are AWS's, not ours. */
#include <string.h>

#include "sigv4.h"
#include "tap.h"

#define KEY "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

int
main(void)
{
	struct buf out, canon, path;
	struct gha_err err;
	char sha[65];
	const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	buf_init(&out);
	buf_init(&canon);
	buf_init(&path);

	/* GET Object, with a Range */
	{
		struct sigv4_header h[] = {
			{ "Host", "examplebucket.s3.amazonaws.com" },
			{ "Range", "bytes=0-9" },
			{ "x-amz-content-sha256", empty },
			{ "x-amz-date", "20130524T000000Z" },
		};
		struct sigv4_req r = { "GET", "/test.txt", "", h, 4, empty, "20130524T000000Z",
				       "us-east-1", "s3", KEY, SECRET };

		ok(sigv4_sign(&r, &out, &canon, &err) == 0, "GET Object signs");
		buf_addc(&out, 0);
		ok(!strcmp(out.p, "AWS4-HMAC-SHA256 Credential=" KEY "/20130524/us-east-1/s3/aws4_request, "
			   "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
			   "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
		   "GET Object: AWS's signature (%s)", out.p);
		buf_addc(&canon, 0);
		ok(!strcmp(canon.p, "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
			   "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
			   "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
			   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
		   "GET Object: AWS's canonical request");
	}
	/* PUT Object, a key with '$' and a body */
	{
		const char *body = "Welcome to Amazon S3.";
		struct sigv4_header h[5];
		struct sigv4_req r;

		sigv4_sha256_hex(body, strlen(body), sha);
		ok(!strcmp(sha, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
		   "PUT Object: AWS's payload hash");
		h[0] = (struct sigv4_header){ "Date", "Fri, 24 May 2013 00:00:00 GMT" };
		h[1] = (struct sigv4_header){ "Host", "examplebucket.s3.amazonaws.com" };
		h[2] = (struct sigv4_header){ "x-amz-date", "20130524T000000Z" };
		h[3] = (struct sigv4_header){ "x-amz-storage-class", "REDUCED_REDUNDANCY" };
		h[4] = (struct sigv4_header){ "x-amz-content-sha256", sha };
		sigv4_uri_encode("/test$file.text", 1, &path);
		buf_addc(&path, 0);
		ok(!strcmp(path.p, "/test%24file.text"), "the key URI-encoded, '/' kept");
		r = (struct sigv4_req){ "PUT", path.p, "", h, 5, sha, "20130524T000000Z", "us-east-1",
					"s3", KEY, SECRET };
		out.len = 0;
		sigv4_sign(&r, &out, NULL, &err);
		buf_addc(&out, 0);
		ok(!strcmp(out.p, "AWS4-HMAC-SHA256 Credential=" KEY "/20130524/us-east-1/s3/aws4_request, "
			   "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
			   "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
		   "PUT Object: AWS's signature (%s)", out.p);
	}
	/* GET Bucket Lifecycle: a query string */
	{
		struct sigv4_header h[] = {
			{ "Host", "examplebucket.s3.amazonaws.com" },
			{ "x-amz-content-sha256", empty },
			{ "x-amz-date", "20130524T000000Z" },
		};
		struct sigv4_req r = { "GET", "/", "lifecycle=", h, 3, empty, "20130524T000000Z",
				       "us-east-1", "s3", KEY, SECRET };

		out.len = 0;
		sigv4_sign(&r, &out, NULL, &err);
		buf_addc(&out, 0);
		ok(strstr(out.p, "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543") != NULL,
		   "GET Bucket lifecycle: AWS's signature (%s)", out.p);
	}
	/* blanks in values: trimmed and folded */
	{
		struct sigv4_header h[] = { { "X-A", "  a   b  " }, { "host", "h" } };
		struct sigv4_req r = { "PUT", "/k", "", h, 2, "UNSIGNED-PAYLOAD", "20130524T000000Z",
				       "us-east-1", "s3", KEY, SECRET };

		canon.len = 0;
		sigv4_sign(&r, &out, &canon, &err);
		buf_addc(&canon, 0);
		ok(strstr(canon.p, "\nhost:h\nx-a:a b\n\nhost;x-a\n") != NULL, "values trimmed, names sorted lower case");
	}
	buf_free(&out);
	buf_free(&canon);
	buf_free(&path);
	return tap_done();
}
