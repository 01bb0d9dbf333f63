"""信息公开 — disclosure (policy §12, §14; MOF notice 财库〔2020〕10号 on procurement
intentions): procurement intentions, announcements by standard type, the public portal and
its search. Issue 12, parts 1–2."""
