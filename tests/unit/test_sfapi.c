/* The SQL API's answers as gha-load reads them (shapes from Snowflake's
 * SQL API reference: a result, 202 "in progress", a 422 error), and the
 * values of a load's transaction. */
#include <string.h>

#include "sfapi.h"
#include "sfjwt.h"
#include "sfplan.h"
#include "tap.h"

int
main(void)
{
	struct sfapi_answer a;
	struct buf b;
	uint64_t rows = 0;
	const char *ok200 = "{\"resultSetMetaData\":{\"numRows\":1,\"format\":\"jsonv2\",\"rowType\":"
			    "[{\"name\":\"anonymous block\",\"type\":\"text\"}]},\"data\":[[\"loaded 7702\"]],"
			    "\"code\":\"090001\",\"statementStatusUrl\":\"/api/v2/statements/01a-b\","
			    "\"sqlState\":\"00000\",\"statementHandle\":\"01a-b\",\"message\":\"Statement executed successfully.\"}";
	const char *run202 = "{\"code\":\"333334\",\"message\":\"Asynchronous execution in progress.\","
			     "\"statementHandle\":\"01b-c\",\"statementStatusUrl\":\"/api/v2/statements/01b-c\"}";
	const char *err422 = "{\"code\":\"100038\",\"sqlState\":\"22018\",\"message\":\"Numeric value 'x' is "
			     "not recognized\\n  File \\u0027a\\u0027\",\"statementHandle\":\"01c-d\"}";

	sfapi_answer_init(&a);
	ok(sfapi_parse(ok200, strlen(ok200), &a) == 0, "a 200 answer parses");
	ok(!strcmp(a.code, "090001") && !strcmp(a.handle, "01a-b") && !strcmp(a.sqlstate, "00000"),
	   "code, handle, SQL state");
	ok(a.has_value && !strcmp(a.value.p, "loaded 7702"), "data[0][0]: %s", a.has_value ? a.value.p : "-");
	ok(sfapi_parse(run202, strlen(run202), &a) == 0 && !strcmp(a.code, "333334") &&
	   !strcmp(a.handle, "01b-c") && !a.has_value, "a 202 answer: the handle, no value");
	ok(sfapi_parse(err422, strlen(err422), &a) == 0 && !strcmp(a.code, "100038") && a.has_message &&
	   !strcmp(a.message.p, "Numeric value 'x' is not recognized\n  File 'a'"), "a 422: code and message decoded");
	ok(sfapi_parse("[1]", 3, &a) == -1, "not an object: -1");
	ok(sfapi_parse("{\"code\":", 8, &a) == -1, "truncated: -1");
	ok(sfapi_parse("{\"code\":5,\"data\":[[null]]}", 26, &a) == 0 && !a.code[0] && !a.has_value,
	   "members of another type are left empty");
	sfapi_answer_free(&a);

	ok(sfplan_outcome("unchanged", &rows) == 0, "'unchanged'");
	ok(sfplan_outcome("loaded 12", &rows) == 1 && rows == 12, "'loaded 12'");
	ok(sfplan_outcome("mismatch 3", &rows) == -1 && sfplan_outcome("loaded ", &rows) == -1 &&
	   sfplan_outcome("loaded 1x", &rows) == -1, "anything else: -1");

	buf_init(&b);
	base64url_add(&b, (const unsigned char *)"\xfb\xff\xfe", 3);
	buf_addc(&b, 0);
	ok(!strcmp(b.p, "-__-"), "base64url: - and _, no padding (%s)", b.p);
	b.len = 0;
	base64url_add(&b, (const unsigned char *)"ab", 2);
	buf_addc(&b, 0);
	ok(!strcmp(b.p, "YWI"), "base64url: padding dropped (%s)", b.p);
	buf_free(&b);
	return tap_done();
}
