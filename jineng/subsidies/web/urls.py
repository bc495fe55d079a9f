from django.urls import path

from jineng.subsidies.web import class_claims, grants, hires, views

app_name = "subsidies"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("organization/", views.mine, name="org_claims"),
    path("new/", views.claim_new, name="new"),
    path("hires/", hires.hire_list, name="hires"),
    path("hires/new/", hires.hire_new, name="hire_new"),
    path("classes/<uuid:class_id>/claims/", class_claims.class_claims, name="class_claims"),
    path("claims/<uuid:claim_id>/", views.claim_detail, name="claim"),
    path("claims/<uuid:claim_id>/resubmit/", views.claim_resubmit, name="claim_resubmit"),
    path("claims/<uuid:claim_id>/evidence/", views.claim_evidence_upload, name="claim_evidence"),
    path("claims/<uuid:claim_id>/do/<slug:action>/", views.claim_action, name="claim_action"),
    path("review/", views.review_queue, name="review"),
    path("review/bulk/", views.review_bulk, name="review_bulk"),
    path("objections/new/", views.objection_raise, name="objection_raise"),
    path("objections/<uuid:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("payments/", views.payments_home, name="payments"),
    path("payments/<uuid:batch_id>/", views.batch_detail, name="batch"),
    path("payments/<uuid:batch_id>/file.<str:fmt>", views.batch_file, name="batch_file"),
    path("payments/<uuid:batch_id>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("grants/", grants.grant_list, name="grants"),
    path("grants/new/", grants.grant_new, name="grant_new"),
    path("grants/batch/", grants.grant_batch, name="grant_batch"),
    path("grants/<uuid:grant_id>/", grants.grant_detail, name="grant"),
    path("grants/<uuid:grant_id>/<slug:decision>/", grants.grant_review, name="grant_review"),
    path("grants/lines/<uuid:line_id>/confirm/", grants.grant_line_confirm, name="grant_line_confirm"),
    path("ledger/", views.ledger_home, name="ledger"),
    path("ledger/transactions/<uuid:transaction_id>/reversal/", views.reversal_request, name="reversal_request"),
    path("ledger/reversals/<uuid:reversal_id>/<slug:decision>/", views.reversal_decide, name="reversal_decide"),
    path("debts/<uuid:debt_id>/recover/", views.debt_recover, name="debt_recover"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<uuid:policy_id>/", views.policy_detail, name="policy"),
    path("policies/<uuid:policy_id>/copy/", views.policy_copy, name="policy_copy"),
    path("vouchers/", views.voucher_home, name="vouchers"),
    path("vouchers/mine/", views.my_vouchers, name="my_vouchers"),
    path("vouchers/issues/<uuid:issue_id>/", views.voucher_issue, name="voucher_issue"),
    path("vouchers/<uuid:voucher_id>/claim/", views.voucher_claim, name="voucher_claim"),
]
