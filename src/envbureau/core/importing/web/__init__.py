"""数据导入 pages (``views``) and ``/api/v1/imports`` (``api``); templates under
``templates/imports/``."""
