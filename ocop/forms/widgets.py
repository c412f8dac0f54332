"""Widgets every app's forms share."""
from django import forms

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
