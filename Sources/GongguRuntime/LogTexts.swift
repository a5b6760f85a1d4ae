/// The Chinese text of each service log message, by its English key (docs/MONITORING.md, "Logs").
///
/// Code logs the English key (`logger.warning("publish failed", …)`); the line carries the Chinese
/// text in `msg`, for the operator who reads the journal, and the key in `key`, for searching and
/// for the documentation. A test (`LogTextsTests`) finds every literal message in Sources/ and
/// requires its entry here.
public enum LogTexts {
    public static let chinese: [String: String] = [
        // start, stop, reload
        "created data folder": "已创建数据目录",
        "log file is accessible to other users; refusing to start": "日志文件可被其他用户访问，拒绝启动",
        "state rebuilt by replay": "已通过重放重建状态",
        "service ready": "服务已就绪",
        "metrics endpoint ready": "监控指标端点已就绪",
        "stop requested": "收到停止请求",
        "stopped": "服务已停止",
        "reload requested": "收到重新加载请求",
        "configuration error": "配置错误",
        "service failed": "服务运行失败",
        "log damaged; refusing to start": "日志损坏，拒绝启动",
        // the own log
        "append refused": "写入日志被拒绝",
        "cannot commit consumed batch; exiting for a clean rebuild": "无法提交已消费的批次，退出以便重建状态",
        "cannot commit a pipelined batch; exiting for a clean rebuild": "无法提交流水线批次，退出以便重建状态",
        "state ran ahead of the log after a refused append; exiting for a clean rebuild":
            "写入被拒绝后状态超前于日志，退出以便重建状态",
        "log head not what its consumers anchored; restore it from a backup": "日志头与下游锚定的不一致，请从备份恢复",
        "cannot check the anchors consumers hold": "无法检查下游持有的锚点",
        "publish failed": "发布事件失败（订阅方将通过重放补齐）",
        "cannot write the metrics textfile": "无法写入监控指标文件",
        // control plane
        "INSECURE: plain TCP endpoint without CURVE (tests only)": "不安全：TCP 端点未加密、未认证（transport.insecure_plain_tcp，仅供测试）",
        "local connection refused": "本地连接被拒绝",
        "connection with an unknown CURVE key refused": "未知密钥被拒绝连接",
        "control keys reloaded": "已重新加载控制密钥",
        "cannot reload control keys; keeping the old ones": "控制密钥重新加载失败，保留原设置",
        "socket folder open to other users (systemd: RuntimeDirectoryMode=0750)": "套接字目录对其他用户开放（systemd：RuntimeDirectoryMode=0750）",
        "control command accepted": "已接受控制命令",
        "control command refused": "控制命令被拒绝",
        // snapshots
        "state restored from snapshot": "从快照恢复状态",
        "snapshot not used; replaying from the start": "快照未使用，从头重放",
        "snapshot written": "快照已写入",
        "snapshot digest checked": "快照状态摘要已核对",
        "snapshot not written": "快照写入失败",
        "quick_check skipped: log file unchanged since the graceful stop that checked it": "日志自上次正常停止时检查后未变，跳过 quick_check",
        "log checked and stamped at stop": "停止时已检查日志并记录文件标记",
        "log not stamped at stop (WAL in use); the next start runs quick_check": "停止时未记录日志标记（WAL 仍在使用），下次启动将运行 quick_check",
        "index caught up at stop": "索引已追上日志",
        "index still behind at stop": "停止时索引仍落后，查询将扫描未索引部分",
        "quick_check found damage at stop": "停止时 quick_check 发现日志损坏",
        "quick_check failed at stop": "停止时 quick_check 无法完成",
        // upstreams
        "upstream unavailable; retrying": "上游不可用，稍后重试",
        "upstream log broken; not consuming it": "上游日志损坏，暂停消费",
        "upstream log readable again": "上游日志已恢复",
        // intake
        "submission endpoint ready": "数据报送端点已就绪",
        "submission clients reloaded": "已重新加载报送客户端",
        "reload failed; previous clients stay in force": "重新加载失败，原客户端名单继续有效",
        "import started": "导入开始",
        "import finished": "导入完成",
        "rule document from configuration activated": "已启用配置中的规则文件",
        // notify
        "recipient endpoint ready": "接收方端点已就绪",
        "recipient admitted": "接收方已通过认证",
        "recipient refused (unknown or revoked key)": "接收方被拒绝（未知或已吊销的密钥）",
        "recipient directory activated": "接收方名录已启用",
        "directory reload refused; the previous directory stays in force": "名录重新加载被拒绝，原名录继续有效",
        "decision forwarded to intake": "决定已转交数据中心",
        "intake refused a forwarded decision": "数据中心拒收转交的决定",
        "intake unavailable for decision forwarding; retrying": "数据中心不可用，决定稍后重新转交",
        "invalid webhook URL": "Webhook 地址无效",
        "webhook delivery gave up": "Webhook 投递多次失败，已放弃",
    ]
}
