"""Array kernels: numpy arrays / scipy sparse matrices in, arrays out.

Kernels know nothing of labels and import no pandas; the adapters in
:mod:`ris3.measures` validate tidy tables and put labels back.
"""
