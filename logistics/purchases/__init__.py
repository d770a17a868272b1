"""Purchase documents (EHF / Peppol BIS 3 invoices, credit notes, orders, despatch
advices; flat ERP exports) into a data set folder of today's observed flows.

The entry point is :func:`logistics.purchases.importer.import_purchases`.
"""
