"""实名制人员库的写操作 — every write of the registry: ``persons`` (登记, 证件, 人员类别, 就业登记, 银行账户, 查看明文,
属地, 合并), ``bulk`` (the set-based paths a batch of persons takes, for the training roster), ``shred`` (个人信息删除,
crypto-shredding) and ``retention`` (the retention job's rule for retired persons, which shreds through ``shred``)."""
