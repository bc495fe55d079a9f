"""培训过程的写操作 — every write of training, one module per entity: ``classes`` (开班 and its state machine),
``rosters`` (名册), ``attendance`` (考勤), ``completion`` (结业), ``apprenticeships`` (学徒制), ``outcomes`` (就业回访);
``support`` holds what they share (the class lock, the state change with its audit event, settings)."""
