"""Several annotators on one corpus: assignment, progress, agreement and adjudication into gold.

- ``workflow``: assignment, progress and the gold writes (accept, reject, add);
- ``agreement``: inter-annotator agreement (matching, kappa, alpha) and its report;
- ``views``, ``urls`` (pages under /review/), ``api_urls`` (endpoints under /api/).
"""
