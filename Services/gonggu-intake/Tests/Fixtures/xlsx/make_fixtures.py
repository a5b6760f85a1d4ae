#!/usr/bin/env python3
"""Writes the .xlsx fixtures of GongguIntakeTests with independent writers (not Gonggu).

    pip install xlsxwriter==3.3.1 openpyxl==3.1.5
    python3 make_fixtures.py        # in this folder

survey.xlsx   XlsxWriter: shared strings (XlsxWriter writes every string shared), two sheets,
              an 18-digit ID and a 20-digit card stored as numbers (digits lost), integers that
              fit (household number, region code, grade), dates as serial numbers with built-in,
              ISO and Chinese custom formats, a boolean, a formula with a cached string, an empty
              styled cell, a gap in the cell references, a blank row.
member1904.xlsx  openpyxl: the 1904 date system (workbookPr date1904), inline strings (openpyxl
              writes every string inline), an error cell (#N/A).
The IDs are synthetic (TestIDs in IntakeTestSupport.swift), never real people.
"""
import datetime

import openpyxl
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

A = "220102198001010012"
B = "220203197512310022"
C = "222401199202290037"
X = "22010219700707109X"

wb = xlsxwriter.Workbook("survey.xlsx")
iso = wb.add_format({"num_format": "yyyy-mm-dd"})
chinese = wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
builtin14 = wb.add_format({"num_format": 14})
s = wb.add_worksheet("调查")
s.write_row(0, 0, ["身份证号", "户编号", "区划代码", "姓名", "残疾证号", "残疾类别", "残疾等级", "劳动能力", "调查年度",
                   "调查日期", "是否需要长期照护"])
# Row 2: all text where text is due; a date serial; a boolean.
s.write_string(1, 0, A)
s.write_row(1, 1, ["HH001", "220102001001", "张三", A + "41", "肢体", "一级", "无劳动力"])
s.write_number(1, 8, 2024)
s.write_datetime(1, 9, datetime.datetime(2024, 3, 15), iso)
s.write_boolean(1, 10, True)
# Row 3: the ID typed as a number — a double keeps ~16 digits, the last ones are gone.
s.write_number(2, 0, float(B))
s.write_row(2, 1, ["HH002", "220203002003", "李四", B + "12", "视力"])
s.write_number(2, 6, 2)
s.write_row(2, 7, ["弱劳动力"])
s.write_number(2, 8, 2024)
# Row 4: household number and region code as numbers that fit; a gap (F4 never written); an
# empty styled cell (J4); no K4.
s.write_string(3, 0, C)
s.write_number(3, 1, 1001)
s.write_number(3, 2, 222401100201)
s.write_string(3, 3, "孙七")
s.write_string(3, 4, C + "24")
s.write_number(3, 6, 4)
s.write_string(3, 7, "有劳动力")
s.write_number(3, 8, 2024)
s.write_blank(3, 9, None, iso)
# Row 5: the card number typed as a number.
s.write_string(4, 0, A)
s.write_row(4, 1, ["HH001", "220102001001", "张三"])
s.write_number(4, 4, float(A + "41"))
s.write_row(4, 5, ["肢体", "一级", "无劳动力"])
s.write_number(4, 8, 2025)
# Row 6 is left blank. Row 7: a formula with its cached string; a Chinese date format.
s.write_string(6, 0, X)
s.write_row(6, 1, ["HH004", "222401100200"])
s.write_formula(6, 3, '="赵"&"六"', None, "赵六")
s.write_row(6, 4, [X + "61", "精神", "一级", "无劳动力"])
s.write_number(6, 8, 2024)
s.write_datetime(6, 9, datetime.datetime(2024, 12, 31), chinese)
s.write_boolean(6, 10, False)

m = wb.add_worksheet("成员")
m.write_row(0, 0, ["户编号", "身份证号", "区划代码", "劳动能力", "入户日期"])
m.write_row(1, 0, ["HH001", A, "220102001001", "无劳动力"])
m.write_datetime(1, 4, datetime.datetime(2020, 1, 1), iso)
m.write_row(2, 0, ["HH002", B, "220203002003", "弱劳动力"])
m.write_datetime(2, 4, datetime.datetime(1900, 3, 1), builtin14)
m.write_number(3, 0, 5)
m.write_row(3, 1, [C, "222401100201", "有劳动力"])
m.write_datetime(3, 4, datetime.datetime(2019, 7, 15), chinese)
wb.close()

wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "Sheet1"
ws.append(["户编号", "身份证号", "区划代码", "劳动能力", "入户日期"])
ws.append(["HH001", A, "220102001001", "无劳动力", datetime.date(2021, 6, 1)])
ws.append(["HH002", B, "#N/A", "弱劳动力", datetime.date(1904, 1, 2)])
ws.append(["HH003", C, "222401100201", "有劳动力", datetime.datetime(2023, 2, 28, 13, 30)])
wb.save("member1904.xlsx")
