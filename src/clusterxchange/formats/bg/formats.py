"""Bulgarian dates as Bulgarian writes them: "27 ноември 2026 г.", "27.11.2026 г., 09:05".

Django's own "bg" formats leave DATETIME_FORMAT and SHORT_DATETIME_FORMAT unset, so they fall back
to the American defaults ("Ноем. 27, 2026, 9:05 преди обяд"). The month names come from Django's
catalogue, which capitalises them ("Ноември"); `formats/locale/bg` corrects them to lower case. A
no-break space keeps "г." (година) with its year when a line wraps.
"""

DATE_FORMAT = "j F Y\u00a0г."
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j F Y\u00a0г., H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y\u00a0г."
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
