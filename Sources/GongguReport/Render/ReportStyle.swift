/// The page's inline stylesheet: screen and A4 print, fonts available on Chinese desktops and on
/// Debian (Noto CJK), tables that repeat their header on each printed page and charts never split.
enum ReportStyle {
    static let css = """
        @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
        html { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
          "WenQuanYi Micro Hei", "SimHei", sans-serif; color: #222; font-size: 10.5pt; }
        body { max-width: 186mm; margin: 0 auto; padding: 8mm 0; line-height: 1.45; }
        h1 { font-size: 18pt; text-align: center; margin: 0 0 2mm 0; }
        .subtitle { text-align: center; color: #444; margin: 0 0 6mm 0; }
        h2 { font-size: 13pt; border-bottom: 1.5pt solid #1f5fa8; padding-bottom: 1mm; margin: 7mm 0 3mm 0;
          break-after: avoid; page-break-after: avoid; }
        h3 { font-size: 11pt; margin: 4mm 0 2mm 0; break-after: avoid; page-break-after: avoid; }
        p.note { color: #555; font-size: 9pt; margin: 1mm 0 3mm 0; }
        section { break-before: auto; }
        section.newpage { break-before: page; page-break-before: always; }
        figure { margin: 2mm 0 4mm 0; break-inside: avoid; page-break-inside: avoid; }
        figure svg { width: 100%; height: auto; display: block; }
        figure svg text { font-family: inherit; }
        table { border-collapse: collapse; width: 100%; margin: 1mm 0 4mm 0; font-size: 9pt; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 0.6pt solid #9aa7b4; padding: 1mm 1.5mm; }
        th { background: #e8eef5; font-weight: bold; text-align: center; }
        td:first-child, th:first-child { white-space: nowrap; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.d1 { padding-left: 5mm; }
        td.d2 { padding-left: 9mm; color: #333; }
        tr.d0 td { font-weight: bold; background: #f5f7fa; }
        caption { caption-side: top; text-align: left; font-weight: bold; padding: 1mm 0; }
        .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
        .kpis { display: flex; flex-wrap: wrap; gap: 3mm; margin: 2mm 0 4mm 0; }
        .kpi { flex: 1 1 40mm; border: 0.6pt solid #9aa7b4; border-radius: 1.5mm; padding: 2mm 3mm;
          break-inside: avoid; }
        .kpi .v { font-size: 16pt; font-weight: bold; color: #1f5fa8; }
        .kpi .l { font-size: 9pt; color: #444; }
        ul.files { columns: 2; font-size: 8.5pt; color: #444; }
        """
}
