"""The level above: `collect` gathers the submissions of a city or the province (workbooks,
e-mailed zips, folders of them), renders each counted one, checks across submissions (the same
nominee twice, quotas per 所属地区, the campaign's ratio and share rules) and writes the office's
registers, 总表, issue list, page and, after review, its 考核对象名单 and 公示名单.

May import: foundation modules, campaigns, read, check, forms, assemble, build.
"""
