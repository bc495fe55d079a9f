"""机构与目录的写操作 — every write of providers, one module per entity: ``organizations`` (机构档案, 办学许可证,
自助注册, 机构账号管理), ``catalog`` (培训机构目录 and its state machine), ``programs`` (培训项目目录, listings),
``teachers`` (师资库), ``bases`` (基地与工作室), ``brands`` (培训品牌, 职业标准与教材); ``support`` holds what they
share (validation and permission checks)."""
