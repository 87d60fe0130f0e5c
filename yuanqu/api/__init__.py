"""The versioned JSON API at /api/v1/ (django-ninja): one module per domain, each calling the
same selectors and services as the HTML pages. See docs/api.md."""
