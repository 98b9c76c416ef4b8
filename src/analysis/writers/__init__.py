"""Writers of the document model (:mod:`analysis.report.document`): HTML, Typst (PDF), Word.

Each writer renders the model; none reads another format back.
"""
