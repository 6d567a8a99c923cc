# The assessor's pages.
