import GongguCore
import GongguEvents

extension WhyReport {
    /// The chain as indented Chinese/English text, one link per line plus its details.
    public func text(_ style: EventText) -> String {
        var out: [String] = []
        for link in links {
            let indent = String(repeating: "  ", count: link.depth)
            let role: String
            switch link.role {
            case .asked: role = "事件 event"
            case .cause: role = "← 起因 caused by"
            case .evidence: role = "← 依据 evidence"
            case .reference: role = "← 引用 refers to (\(link.field ?? ""))"
            }
            guard let at = link.located else {
                out.append("\(indent)\(role) \(link.id)  （不在所给日志中 not in the logs given）")
                continue
            }
            let e = at.event
            var line = "\(indent)\(role) \(e.id)  \(e.type)  \(at.source.name) seq \(e.seq)"
            line += "  记录 recorded \(InstantText.format(e.recordedAt))  发生 occurred \(InstantText.date(e.occurredAt))"
            if link.repeated {
                out.append(line + "  （见上 see above）")
                continue
            }
            out.append(line)
            let detailIndent = indent + "    "
            out.append(detailIndent + "主体 subject \(style.mask(e.subject))  区划 region \(e.region)")
            if let title = link.title, !title.isEmpty { out.append(detailIndent + "标题 title: " + style.mask(title)) }
            if link.isSourceRecord {
                out.append(detailIndent + "源记录 source record: \(link.sourceFile ?? ""):\(link.sourceLine ?? 0)")
            }
            if let rule = link.ruleID ?? link.ruleVersion.map({ _ in "" }) {
                out.append(detailIndent + "规则 rule \(rule) 版本 version \(link.ruleVersion ?? "")")
            }
            if let r = link.rules {
                if let a = r.activation {
                    out.append(
                        detailIndent + "生效规则 rules in force: \(r.ruleSet) \(r.version), RulesActivated \(a.event.id)"
                            + " \(a.source.name) seq \(a.event.seq), 生效 from \(r.effectiveFrom ?? ""),"
                            + " sha256 \(r.sha256 ?? "")")
                } else if r.builtIn {
                    out.append(
                        detailIndent
                            + "生效规则 rules in force: \(r.ruleSet) \(r.version)（内置默认规则 built-in default document）")
                } else {
                    out.append(
                        detailIndent + "生效规则 rules in force: \(r.ruleSet) \(r.version)"
                            + "（日志中未找到启用事件 no RulesActivated of this version before the decision）")
                }
            }
            if !link.evidence.isEmpty {
                out.append(detailIndent + "依据 evidence ids: " + link.evidence.joined(separator: ", "))
            }
        }
        let sources = self.sources
        out.append("")
        out.append(
            sources.isEmpty
                ? "未追溯到源记录 no source record reached"
                : "源记录 source records reached: "
                    + sources.map { "\($0.sourceFile ?? ""):\($0.sourceLine ?? 0)" }.joined(separator: ", "))
        return out.joined(separator: "\n")
    }

    /// The chain as one JSON document.
    public func json(_ style: EventText) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.objects("links", links) { w, link in
            w.field("role", link.role.rawValue)
            w.field("field", link.field)
            w.field("depth", link.depth)
            w.field("id", link.id.description)
            w.field("found", link.located != nil)
            w.field("repeated", link.repeated)
            if let at = link.located {
                w.field("type", at.event.type)
                w.field("log", at.source.name)
                w.field("stream", at.source.stream)
                w.field("seq", Int(at.event.seq))
                w.field("subject", at.event.subject)
                w.field("region", at.event.region)
                w.field("recorded", InstantText.format(at.event.recordedAt))
                w.field("occurred", InstantText.format(at.event.occurredAt))
                w.field("causation", at.event.causation?.description)
            }
            w.field("sourceFile", link.sourceFile)
            w.field("sourceLine", link.sourceLine)
            w.field("title", link.title)
            w.field("ruleID", link.ruleID)
            w.field("ruleVersion", link.ruleVersion)
            if !link.evidence.isEmpty { w.field("evidence", link.evidence) }
            if let r = link.rules {
                w.object("rulesInForce") { w in
                    w.field("ruleSet", r.ruleSet)
                    w.field("version", r.version)
                    w.field("builtIn", r.builtIn)
                    w.field("activationID", r.activation?.event.id.description)
                    w.field("activationLog", r.activation?.source.name)
                    w.field("activationSeq", r.activation.map { Int($0.event.seq) })
                    w.field("effectiveFrom", r.effectiveFrom)
                    w.field("sha256", r.sha256)
                }
            }
        }
        w.field("sourceRecords", sources.map { "\($0.sourceFile ?? ""):\($0.sourceLine ?? 0)" })
        w.endObject()
        return style.mask(w.string)
    }
}
