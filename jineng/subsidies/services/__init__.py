"""补贴的写操作 — every write of subsidies, one module per entity: ``policies`` (补贴政策), ``vouchers`` (培训券),
``claims`` (补贴申请), ``review`` (受理、审核、公示、审批), ``payments`` (拨付、退回、追回), ``ledger`` (资金台账),
``hires`` (新招用职工); ``support`` holds what they share (permissions, serial numbers, the person lock, claim steps
with their audit events)."""
