#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into Tests/Fuzz/corpus/<target>/ (docs/FUZZING.md).

Seeds are small valid (and a few deliberately broken) inputs of each format, with synthetic resident
IDs that have valid check characters. Re-running rewrites the seeds (files named seed-*) and leaves
regression inputs (files named crash-* / hang-*) alone.
"""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
KINDS = ["survey", "member", "household", "income", "assistance", "pension", "subsidy", "expense", "project",
         "visit", "life", "decision", "document"]

P1, P2 = "220102198001010012", "220203197512310022"
CSV = {
    "survey": [["身份证号", "户编号", "区划代码", "姓名", "残疾证号", "残疾类别", "残疾等级", "劳动能力", "调查年度", "是否需要长期照护", "备注"],
               [P1, "HH001", "220102001001", "张三,小名", P1 + "41", "肢体", "一级", "无劳动力", "2024", "是", "正常"],
               [P2, "HH002", "220203002003", "李四", P2 + "12", "视力", "2", "弱劳动力", "2024", "否", "第一行\n第二行，含\"引号\""]],
    "member": [["户编号", "身份证号", "区划代码", "姓名", "劳动能力", "是否在校生", "入户日期", "是否离开本户"],
               ["HH001", P1, "220102001001", "张三", "无劳动力", "否", "2020-01-01", "否"]],
    "household": [["户编号", "区划代码", "户类型", "认定日期", "脱贫年度"],
                  ["HH001", "220102001001", "脱贫户", "2020-01-01", "2019"],
                  ["HH002", "220203002003", "脱贫不稳定户", "2024-03-15", ""]],
    "income": [["户编号", "区划代码", "年度", "家庭纯收入", "家庭人口数", "核算日期"],
               ["HH001", "220102001001", "2024", "12000.50", "3", "2024-12-31"]],
    "assistance": [["户编号", "区划代码", "身份证号", "救助类型", "起始年月", "停止年月", "停止原因", "月保障金额"],
                   ["HH001", "220102001001", P1, "低保", "2023-01", "", "", "520"],
                   ["HH002", "220203002003", P2, "特困供养", "2022-05", "2024-06", "死亡", "800.5"]],
    "pension": [["户编号", "区划代码", "身份证号", "年度", "是否参保", "政府代缴金额"],
                ["HH001", "220102001001", P1, "2024", "是", "100"]],
    "subsidy": [["户编号", "区划代码", "身份证号", "补贴类型", "发放月份", "发放金额"],
                ["HH001", "220102001001", P1, "护理补贴", "2024-01", "100.00"],
                ["HH001", "220102001001", P1, "living", "2024年2月", "75.5"]],
    "expense": [["户编号", "区划代码", "身份证号", "支出类型", "自付金额", "发生日期", "报送部门"],
                ["HH001", "220102001001", P1, "住院", "6000", "2024-03-01", "医保局"]],
    "project": [["项目编号", "项目类型", "户编号", "区划代码", "身份证号", "实施日期", "项目金额"],
                ["P001", "康复服务", "HH001", "220102001001", P1, "2024-05-01", "3000"]],
    "visit": [["户编号", "区划代码", "走访日期", "走访人", "困难情况", "是否自主申请"],
              ["HH001", "220102001001", "2025-06-01", "王五", "收入", "否"]],
    "life": [["户编号", "区划代码", "身份证号", "事件类型", "发生日期"],
             ["HH001", "220102001001", P1, "死亡", "2024-06-01"]],
    "decision": [["户编号", "区划代码", "决定类型", "决定日期", "决定单位", "监测对象类型", "帮扶措施", "回复编号"],
                 ["HH001", "220102001001", "确认纳入监测", "2024-07-01", "长春市南关区乡村振兴局", "脱贫不稳定户", "产业帮扶", ""]],
    "document": [["文件编号", "文件类别", "标题", "成文日期", "项目阶段", "文件哈希", "区划代码"],
                 ["DOC001", "政策文件", "关于做好残疾人两项补贴工作的通知", "2024-01-01", "", "ab" * 32, "220102001001"]],
}


def csv_text(rows, crlf):
    def field(v):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v
    return ("\r\n" if crlf else "\n").join(",".join(field(v) for v in r) for r in rows) + "\n"


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def intake_prefix(kind, chunk_byte):
    return bytes([KINDS.index(kind), chunk_byte])


for i, (kind, rows) in enumerate(CSV.items()):
    text = csv_text(rows, crlf=i % 2 == 0)
    chunk = [0, 1, 3, 255][i % 4]
    write("csv-utf8", kind, intake_prefix(kind, chunk) + text.encode("utf-8"))
    write("csv-utf8-bom", kind, intake_prefix(kind, chunk) + b"\xef\xbb\xbf" + text.encode("utf-8"))
    write("csv-gb18030", kind, intake_prefix(kind, chunk) + text.encode("gb18030"))
    lines = [json.dumps(dict(zip(rows[0], r)), ensure_ascii=i % 3 == 0) for r in rows[1:]]
    write("jsonl", kind, intake_prefix(kind, chunk) + ("\n".join(lines) + "\n").encode("utf-8"))
# A GB18030 four-byte character, an unterminated quote, a ragged row and a number-typed ID.
four_byte = csv_text(CSV["survey"][:2], False).replace("张三", "张\U00020000")
write("csv-gb18030", "four-byte", intake_prefix("survey", 0) + four_byte.encode("gb18030"))
unterminated = csv_text(CSV["subsidy"], False) + '"HH009,2201\n'
write("csv-utf8", "unterminated", intake_prefix("subsidy", 0) + unterminated.encode())
ragged = "户编号,区划代码,年度,家庭纯收入,家庭人口数\nHH001,220102001001,2024,1,2,3,4\n"
write("csv-utf8-bom", "ragged", intake_prefix("income", 2) + b"\xef\xbb\xbf" + ragged.encode())
numbers = ('{"personID": 220102198001010012, "householdID": "HH001", "region": 220102001001, "subsidy": "living", '
           '"month": 45323, "amount": 2.2E+17}\n{"personID": ["a",1,null]}\n')
write("jsonl", "numbers", intake_prefix("subsidy", 5) + numbers.encode())

# Wire frames: byte 0 selects the frame kind (see WireTargets.event).
def canonical(seq, etype, subject, region, payload):
    import struct
    out = struct.pack(">Q", seq) + bytes(range(16))
    for s in (etype,):
        b = s.encode(); out += struct.pack(">H", len(b)) + b
    out += struct.pack(">I", 1)
    for s in (subject, region):
        b = s.encode(); out += struct.pack(">H", len(b)) + b
    out += struct.pack(">qq", 1717200000000, 1717200000123) + bytes(16) + bytes(range(16, 32))
    p = payload.encode()
    return out + struct.pack(">I", len(p)) + p

write("wire-event", "event", b"\x00" + canonical(7, "SubsidyPaid", "HH001", "220102001001",
      '{"personID":"220102198001010012","month":"2024-01","amountFen":10000}'))
write("wire-event", "event-empty", b"\x02" + canonical(1, "ClockTicked", "", "", "{}"))
write("wire-event", "heartbeat", b"\x01" + (123456).to_bytes(8, "big"))
write("wire-event", "replay", b"\x03" + b'{"after":0,"limit":100,"type":"RiskFeedback","region":"2201"}')
write("wire-event", "replay-huge", b"\x07" + b'{"after":99999999999999999999,"limit":1e300}')

write("recipient-wire", "ack", b'{"type":"ack","id":"0123456789abcdef0123456789abcdef"}')
write("recipient-wire", "decision", json.dumps({"type": "decision", "inReplyTo": "0123456789abcdef0123456789abcdef",
      "household": "HH001", "decision": "inclusionConfirmed", "date": "2025-03-01", "measure": "产业帮扶",
      "householdType": "monitoredUnstable", "note": "已入户核实"}, ensure_ascii=False).encode())
write("recipient-wire", "notification", b"\x7b" + json.dumps({
      "type": "notification", "id": "n1", "recipient": "bureau-220102", "kind": "routed",
      "eventType": "RiskFeedback", "sourceEvent": "e1", "region": "220102001001",
      "household": "HH001", "title": "风险反馈", "summary": "户HH001收入低于监测线", "created": "2025-03-01",
      "source": {"householdID": "HH001", "thresholds": {"monitoringLineFen": 760000}}},
      ensure_ascii=False).encode()[1:])
write("recipient-wire", "error", b'{"type":"error","code":"x","message":"\\u9519\\u8bef"}')
write("recipient-wire", "broken", b'{"type":"ack","id":"a","id":"b"}')

VISIT = {"householdID": "HH1", "region": "220182101201", "date": "2025-06-01", "visitor": "王五", "hardship": "income",
         "selfApplication": "否"}
visits = {"kind": "visit", "records": [VISIT, dict(VISIT, date="2025-13-01")]}
write("submission", "visits", b"S" + json.dumps(visits, ensure_ascii=False).encode())
subsidy = {"kind": "subsidy", "records": [{"personID": P1, "householdID": "HH001", "region": "220102001001",
                                           "subsidy": "nursing", "month": "2024-01", "amount": "100"}]}
write("submission", "subsidy", b"S" + json.dumps(subsidy).encode())
outside = {"kind": "visit", "records": [dict(VISIT, region="110101001001")]}
write("submission", "outside", b"S" + json.dumps(outside).encode())
write("submission", "malformed", b"S" + b'{"kind":"visit","records":{}}')
write("submission", "other-command", b"\x07{}")

import re
SOURCES = os.path.join(ROOT, "..", "..", "..", "Sources")
risk = open(os.path.join(SOURCES, "GongguRisk", "Rules", "RiskRules+Default.swift"), encoding="utf-8").read()
verify = open(os.path.join(SOURCES, "GongguVerify", "VerifyRules.swift"), encoding="utf-8").read()
risk_doc = re.search(r'#"""\n(.*?)\n\s*"""#', risk, re.S).group(1)
verify_doc = re.search(r'defaultDocument = """\n(.*?)\n\s*"""', verify, re.S).group(1)
write("rules", "risk-default", risk_doc.encode())
write("rules", "verify-default", verify_doc.encode())
write("rules", "envelope",
      b'{"ruleSet":"risk","version":"x","effectiveFrom":"2024-02-29","defaults":{},"regions":{"2201":{}}}')

write("config", "service", b"\x00" + json.dumps({
      "data": {"directory": "/var/lib/gonggu"}, "log": {"synchronous": "full", "level": "info"},
      "endpoints": {"publish": "tcp://127.0.0.1:7101", "control": "tcp://127.0.0.1:7102"},
      "heartbeat": {"milliseconds": 500}, "upstreams": ["intake"], "upstream": {"intake": {"read_file": False}},
      "submission": {"max_body_bytes": 1048576, "clients": [{"name": "app", "public_key":
      "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "kinds": ["visit"], "region_prefix": "220182"}]}}).encode())
write("config", "recipients", b"\x01" + json.dumps({"version": "1", "escalation": {"afterDays": 7}, "recipients": [
      {"id": "bureau-220102", "name": "南关区乡村振兴局", "level": "county", "region": "220102",
       "publicKey": "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", "escalateTo": "city-2201"},
      {"id": "city-2201", "name": "长春市残联", "level": "prefecture", "region": "2201",
       "publicKey": "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"}]}, ensure_ascii=False).encode())

# deflate: byte 0 picks the input piece and output chunk sizes; the rest is raw DEFLATE from zlib
# (stored, levels 1 and 9, fixed Huffman, Huffman only, a run of zeros).
import zlib
SHEET = ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" * 20 + "巩固拓展残疾人脱贫攻坚成果,2024,是\n" * 10).encode()


def deflate(data, level, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
    return c.compress(data) + c.flush()


write("deflate", "stored", bytes([0x00]) + deflate(SHEET, 0))
write("deflate", "level1", bytes([0x23]) + deflate(SHEET, 1))
write("deflate", "level9", bytes([0x5F]) + deflate(SHEET, 9))
write("deflate", "fixed", bytes([0x17]) + deflate(SHEET, 6, zlib.Z_FIXED))
write("deflate", "huffman-only", bytes([0x31]) + deflate(SHEET, 6, zlib.Z_HUFFMAN_ONLY))
write("deflate", "zeros", bytes([0x0A]) + deflate(bytes(60000), 9))
