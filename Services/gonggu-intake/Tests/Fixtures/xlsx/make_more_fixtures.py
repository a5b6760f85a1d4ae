#!/usr/bin/env python3
"""Writes the second set of .xlsx fixtures of GongguIntakeTests with independent writers (not Gonggu).

    pip install openpyxl==3.1.5
    apt-get install libreoffice-calc-nogui      # Debian 12: LibreOffice 7.4
    python3 make_more_fixtures.py               # in this folder

codes.xlsx        openpyxl: a member sheet whose region code was typed as a number and lost its
                  leading digit (11 digits where 12 are due: what Excel does to a code starting
                  with 0), next to one stored as text and one typed as a number that fits.
libreoffice.xlsx  LibreOffice Calc (headless `soffice --convert-to xlsx`), converting a workbook
                  that openpyxl wrote to a temporary folder: LibreOffice rewrites every part its
                  own way (shared strings, its own styles.xml with date formats, `t="n"` on every
                  number, sheet properties, docProps). A survey sheet: IDs as text, one ID typed as
                  a number (digits lost), a household number as a number, dates with an ISO and a
                  Chinese custom format, booleans.
The IDs are synthetic (TestIDs in IntakeTestSupport.swift), never real people.
"""
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl

A = "220102198001010012"
B = "220203197512310022"
C = "222401199202290037"
X = "22010219700707109X"

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "成员"
ws.append(["户编号", "身份证号", "区划代码", "劳动能力", "入户日期"])
ws.append(["HH001", A, "220102001001", "无劳动力", "2020-01-01"])
ws.append(["HH002", B, 22020300200, "弱劳动力", "2021-05-01"])  # C3: 11 digits, the leading digit gone
ws.append(["HH003", C, 222401100201, "有劳动力", "2022-07-15"])  # C4: 12 digits as a number: fits
wb.save("codes.xlsx")

tmp = tempfile.mkdtemp()
try:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "调查"
    ws.append(["身份证号", "户编号", "区划代码", "姓名", "残疾证号", "残疾类别", "残疾等级", "劳动能力", "调查年度",
               "调查日期", "是否需要长期照护"])
    ws.append([A, "HH001", "220102001001", "张三", A + "41", "肢体", "一级", "无劳动力", 2024,
               datetime.date(2024, 3, 15), True])
    ws.append([int(B), "HH002", "220203002003", "李四", B + "12", "视力", 2, "弱劳动力", 2024, None, None])
    ws.append([C, 1001, 222401100201, "孙七", C + "24", None, 4, "有劳动力", 2024, None, False])
    ws.append([X, "HH004", "222401100200", "赵六", X + "61", "精神", "一级", "无劳动力", 2024,
               datetime.date(2024, 12, 31), False])
    ws["J2"].number_format = "yyyy-mm-dd"
    ws["J5"].number_format = 'yyyy"年"m"月"d"日"'
    src = os.path.join(tmp, "libreoffice.xlsx")
    wb.save(src)
    out = os.path.join(tmp, "out")
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, src],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.copy(os.path.join(out, "libreoffice.xlsx"), "libreoffice.xlsx")
finally:
    shutil.rmtree(tmp)
