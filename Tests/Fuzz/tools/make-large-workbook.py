#!/usr/bin/env python3
"""Writes a large survey workbook for the memory measurement of workbook intake (docs/BENCHMARKS.md):
the rows of `gonggu-bench intake` (valid synthetic IDs), every string shared as Excel writes them,
the sheet part streamed into the ZIP with zlib (Python never holds the sheet).

    python3 Tests/Fuzz/tools/make-large-workbook.py ROWS OUT.xlsx [--inline]

--inline writes every string inline in its cell (`t="inlineStr"`, as openpyxl does) instead of in
the shared-string table, so the reader's memory holds no table that grows with the rows.
"""
import datetime
import sys
import zipfile

rows, out = int(sys.argv[1]), sys.argv[2]
inline = "--inline" in sys.argv[3:]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECKS = "10X98765432"
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]
LABOUR = ["有劳动力", "弱劳动力", "无劳动力"]
HEADER = ["personID", "householdID", "region", "name", "cardNumber", "category", "grade", "labour", "surveyYear",
          "needsLongTermCare", "pensionEnrolled"]
base = datetime.date(1950, 1, 1)


def resident_id(n):
    d = base + datetime.timedelta(days=n // 1000)
    body = "220102" + d.strftime("%Y%m%d") + "%03d" % (n % 1000)
    return body + CHECKS[sum(int(c) * w for c, w in zip(body, W)) % 11]


def row(n):
    i = resident_id(n)
    category, grade = n % 7 + 1, n % 4 + 1
    village = "220102%03d%03d" % (n % 50 + 1, n % 200 + 1)
    return [i, "H%d" % (n // 2), village, NAMES[n % 8], "%s%d%d" % (i, category, grade), str(category), str(grade),
            LABOUR[n % 3], "2025", "是" if grade <= 2 else "否", "是"]


def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


strings, index = [], {}


def sid(s):
    if s not in index:
        index[s] = len(strings)
        strings.append(s)
    return index[s]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as f:
        f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s"><sheetData>'
                 % MAIN).encode())
        buf = []
        for r in range(rows + 1):
            cells = HEADER if r == 0 else row(r - 1)
            if inline:
                xml = "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(c), r + 1, v)
                              for c, v in enumerate(cells))
            else:
                xml = "".join('<c r="%s%d" t="s"><v>%d</v></c>' % (col(c), r + 1, sid(v)) for c, v in enumerate(cells))
            buf.append('<row r="%d">' % (r + 1) + xml + "</row>")
            if len(buf) >= 10000:
                f.write("".join(buf).encode())
                buf = []
        f.write(("".join(buf) + "</sheetData></worksheet>").encode())
    with z.open("xl/sharedStrings.xml", "w") as f:
        f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="%s" uniqueCount="%d">'
                 % (MAIN, len(strings))).encode())
        for k in range(0, len(strings), 10000):
            f.write("".join("<si><t>%s</t></si>" % s for s in strings[k:k + 10000]).encode())
        f.write(b"</sst>")
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % REL)
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>' % (MAIN, REL))
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (REL, REL))
