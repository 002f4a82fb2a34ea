# silver_ref.jq: the events table of gha-silver(1), column by column, written
# from the man page in jq, independently of the C code; tests/t0330 compares.
# Timeline event ids (derived from a hash) come out as "TL".
def opt(f): [f][0];
def nn: if . == null then empty else . end;
def first2(a; b): (a // null) as $x | if $x != null then $x else (b // null) end;
def ts: if type != "string" then null else
  (capture("^(?<d>\\d{4}-\\d{2}-\\d{2})[T ](?<t>\\d{2}:\\d{2}:\\d{2})(?<f>\\.\\d+)?(?<z>Z|[+-]\\d{2}:?\\d{2})?$") // null) as $c
  | if $c == null then null else
    (($c.d + "T" + $c.t + "Z") | fromdateiso8601) as $s
    | (if ($c.z // "Z") == "Z" then 0 else ($c.z | gsub(":";"")) as $z | (($z[1:3]|tonumber)*3600 + ($z[3:5]|tonumber)*60) * (if $z[0:1]=="-" then -1 else 1 end) end) as $off
    | ($s - $off) end end;
def fmt: if . == null then null else todate end;
def hourname: if . == null then null else (strftime("%Y-%m-%d-") + (strftime("%H")|tonumber|tostring)) end;
def int: if type == "number" then (if . == floor then tostring else null end)
  elif type == "string" then (if test("^[0-9]{1,19}$") then . else null end) else null end;
def str: if type == "string" then . else null end;
# a repo's name is "owner/name", both sides non-empty, or nothing
def proper: if type == "string" and test("^[^/]+/.+$"; "s") then . else null end;
def bool: if type == "boolean" then (if . then "t" else "f" end) else null end;
def isbot: if . == null then null else (ascii_downcase | (endswith("[bot]") or endswith("-bot"))) | if . then "t" else "f" end end;
def esc: if . == null then "\\N" else tostring | gsub("\\\\";"\\\\") | gsub("\t";"\\t") | gsub("\n";"\\n") | gsub("\r";"\\r") | gsub("\u0000";"\ufffd") end;
if type == "array" then .[] else . end
| . as $e | (.payload // {}) as $p
| ($p | if type=="object" then . else {} end) as $p
| (.created_at | ts) as $t
| (if has("id") and .id != null then "ID" else "TL" end) as $kind
| (if $kind == "TL" then "timeline" elif $t >= 1759795200 then "trimmed" elif $t < 1420070400 and ((.repo|tostring|contains("api.github.dev")) or (.actor|tostring|contains("api.github.dev"))) then "archive2011" else "events" end) as $era
| (if (.actor|type) == "object" then .actor.login elif (.actor|type)=="string" then .actor else null end | str) as $login
| (if (.repo|type)=="object" and (.repo.name|type)=="string" then
     (if .repo.name == "/" then $p.repo else .repo.name end | proper)
   elif (.repo|type)=="object" and (.repo.name != null) then null
   elif (.repository|type)=="object" and (.repository.owner|type)=="string" and (.repository.name|type)=="string" then (.repository.owner + "/" + .repository.name | proper) else null end) as $rname
| ((.type == "PushEvent")) as $push
| [
  opt((if $kind=="ID" then (.id|tostring) else "TL" end)),
  opt(.type),
  opt(($t|fmt)),
  opt(($t|hourname)),
  opt($era),
  opt(((.actor|objects|.id) // null | int)),
  opt($login),
  opt(($login|isbot)),
  opt((first2(.repo|objects|.id; .repository|objects|.id) | int)),
  opt($rname),
  opt((if $rname != null then ($rname|split("/")[0]) elif (if (.repo|type)=="object" then (.repo.name|type) else "none" end) != "string" and (.repository|type)=="object" and (.repository.owner|type)=="string" and .repository.owner != "" then .repository.owner else null end)),
  opt(((.org|objects|.id) // null | int)),
  opt((first2(.org|objects|.login; .repository|objects|.organization) | str)),
  opt((.public | bool)),
  opt(($p.action | str)),
  opt((first2($p.ref; $p.object_name) | str)),
  opt((first2($p.ref_type; $p.object) | str)),
  opt((if $push then ($p.push_id|int) else null end)),
  opt((if $push then ($p.size|int) else null end)),
  opt((if $push then ($p.distinct_size|int) else null end)),
  opt((if $push then (first2($p.commits; $p.shas) | if type=="array" then length|tostring else null end) else null end)),
  opt(($p.head|str)),
  opt(($p.before|str)),
  opt((($p.number // (($p.issue|objects|.number) // ($p.pull_request|objects|.number))) | int)),
  opt(((($p.issue|objects|.id) // ($p.issue|numbers) // $p.issue_id) | int)),
  opt(($p.pull_request|objects|.id|int)),
  opt((first2($p.comment|objects|.id; $p.comment_id)|int)),
  opt((first2($p.pull_request|objects|.title; $p.issue|objects|.title)|str)),
  opt((first2($p.pull_request|objects|.state; $p.issue|objects|.state)|str)),
  opt(($p.pull_request|objects|.merged|bool)),
  opt(($p.pull_request|objects|.merged_at|ts|fmt)),
  opt(($p.pull_request|objects|.additions|int)),
  opt(($p.pull_request|objects|.deletions|int)),
  opt(($p.pull_request|objects|.changed_files|int)),
  opt(($p.pull_request|objects|.created_at|ts|fmt)),
  opt(($p.pull_request|objects|.closed_at|ts|fmt)),
  opt(($p.review|objects|.state|str)),
  opt(((($p.review|objects|.author_association) // ($p.comment|objects|.author_association) // ($p.pull_request|objects|.author_association) // ($p.issue|objects|.author_association))|str)),
  opt((first2($p.pull_request|objects|.base|objects|.repo|objects|.language; .repository|objects|.language)|str)),
  opt(($p.release|objects|.tag_name|str)),
  opt(((($p.member|objects|.login) // ($p.member|strings))|str)),
  opt(((($p.forkee|objects|.id) // ($p.forkee|numbers))|int)),
  opt(($p.forkee|objects|.full_name|str))
  ] | map(esc) | join("\t")
