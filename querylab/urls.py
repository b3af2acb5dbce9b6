from __future__ import annotations

from django.urls import path

from . import views

app_name = "querylab"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases.json", views.cases_json, name="cases-json"),
    path("<slug:slug>/", views.case_lab, name="case"),
]
