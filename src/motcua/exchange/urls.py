from django.urls import path

from motcua.exchange import api, views

app_name = "exchange"
urlpatterns = [
    path("", views.hub_page, name="hub"),
    path("nhan/", views.receive_push, name="receive_push"),
    path("api/v1/documents", api.send, name="api_send"),
    path("api/v1/documents/status", api.document_status, name="api_document_status"),
    path("api/v1/inbox", api.inbox, name="api_inbox"),
    path("api/v1/inbox/ack", api.ack_many, name="api_ack_many"),
    path("api/v1/inbox/<int:delivery_id>", api.fetch, name="api_fetch"),
    path("api/v1/inbox/<int:delivery_id>/ack", api.ack_one, name="api_ack_one"),
    path("api/v1/statuses", api.statuses, name="api_statuses"),
    path("api/v1/statuses/ack", api.statuses_ack, name="api_statuses_ack"),
    path("api/v1/organs", api.organs, name="api_organs"),
]
