//! The Open311 service list: one service per report category (`invalid` excluded), each with a
//! definition of its attributes, and the check of a request's attribute values against it.

use crate::domain::catalog::{CATEGORIES, Category};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What kind of value an attribute takes (the spec's `datatype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    /// A line of text.
    String,
    /// A number.
    Number,
    /// One key from the values.
    SingleValueList,
    /// Several keys from the values.
    MultiValueList,
}

impl DataType {
    fn as_str(self) -> &'static str {
        match self {
            DataType::String => "string",
            DataType::Number => "number",
            DataType::SingleValueList => "singlevaluelist",
            DataType::MultiValueList => "multivaluelist",
        }
    }
}

/// One attribute of a service definition.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The attribute's code (`attribute[CODE]` in a request).
    pub code: &'static str,
    /// Its value type.
    pub datatype: DataType,
    /// Whether a request must give it.
    pub required: bool,
    /// The question shown to the citizen.
    pub description: &'static str,
    /// The allowed keys and their names, for the list types.
    pub values: &'static [(&'static str, &'static str)],
}

const SEVERITY: Attribute = Attribute {
    code: "severity",
    datatype: DataType::SingleValueList,
    required: false,
    description: "Mức độ nghiêm trọng (how serious is it?)",
    values: &[("low", "Thấp"), ("medium", "Trung bình"), ("high", "Cao")],
};

const WATER_DEPTH: Attribute = Attribute {
    code: "water_depth_cm",
    datatype: DataType::Number,
    required: true,
    description: "Độ sâu ngập ước tính, cm (estimated water depth in centimetres)",
    values: &[],
};

const LIGHTS_OUT: Attribute = Attribute {
    code: "lights_out",
    datatype: DataType::SingleValueList,
    required: true,
    description: "Bao nhiêu đèn không sáng? (how many lights are out?)",
    values: &[("one", "Một cột"), ("several", "Vài cột"), ("street", "Cả tuyến đường")],
};

const HAZARDS: Attribute = Attribute {
    code: "hazards",
    datatype: DataType::MultiValueList,
    required: false,
    description: "Nguy hiểm kèm theo (hazards)",
    values: &[
        ("traffic", "Cản trở giao thông"),
        ("injury", "Có thể gây thương tích"),
        ("night", "Nguy hiểm ban đêm"),
    ],
};

/// The categories offered as services, in catalogue order.
pub fn services() -> impl Iterator<Item = &'static Category> {
    CATEGORIES.iter().filter(|c| c.code != "invalid" && !c.system)
}

/// The service with this code.
pub fn service(code: &str) -> Option<&'static Category> {
    services().find(|c| c.code == code)
}

/// The attributes of a service, in order.
pub fn attributes(code: &str) -> Vec<Attribute> {
    let mut v = vec![SEVERITY];
    match code {
        "drainage" => v.push(WATER_DEPTH),
        "street_lighting" => v.push(LIGHTS_OUT),
        "roads" | "trees_parks" => v.push(HAZARDS),
        _ => {}
    }
    v
}

/// A service as listed by `GET services`.
pub fn service_json(c: &Category) -> Value {
    json!({
        "service_code": c.code,
        "service_name": c.name_vi,
        "description": c.name_en,
        "metadata": true,
        "type": "realtime",
        "keywords": c.code.replace('_', ","),
        "group": "IOC Huế",
    })
}

/// A service definition as given by `GET services/{code}`.
pub fn definition_json(c: &Category) -> Value {
    let attrs: Vec<Value> = attributes(c.code)
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "variable": true,
                "code": a.code,
                "datatype": a.datatype.as_str(),
                "required": a.required,
                "datatype_description": match a.datatype {
                    DataType::Number => Value::from("a number, e.g. 30"),
                    DataType::MultiValueList => Value::from("one or more keys: attribute[CODE][]=KEY"),
                    _ => Value::Null,
                },
                "order": i + 1,
                "description": a.description,
                "values": a.values.iter().map(|(k, n)| json!({"key": k, "name": n})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "service_code": c.code, "attributes": attrs })
}

/// Checks a request's attributes (code → values) against the service; returns the accepted
/// `code=value` pairs in definition order, or the first problem. Unknown codes are ignored.
pub fn check_attributes(code: &str, given: &BTreeMap<String, Vec<String>>) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for a in attributes(code) {
        let vals: Vec<&str> = given
            .get(a.code)
            .map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        if vals.is_empty() {
            if a.required {
                return Err(format!("attribute[{}] is required for service {code}", a.code));
            }
            continue;
        }
        match a.datatype {
            DataType::Number => {
                let ok = vals.len() == 1 && vals[0].parse::<f64>().is_ok_and(f64::is_finite);
                if !ok {
                    return Err(format!("attribute[{}] must be one number", a.code));
                }
            }
            DataType::SingleValueList | DataType::MultiValueList => {
                if a.datatype == DataType::SingleValueList && vals.len() > 1 {
                    return Err(format!("attribute[{}] takes one value", a.code));
                }
                if let Some(bad) = vals.iter().find(|v| !a.values.iter().any(|(k, _)| k == *v)) {
                    return Err(format!("attribute[{}]: '{bad}' is not one of its keys", a.code));
                }
            }
            DataType::String => {}
        }
        out.push(format!("{}={}", a.code, vals.join(",")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_exclude_invalid() {
        assert_eq!(services().count(), CATEGORIES.iter().filter(|c| !c.system).count() - 1);
        assert!(service("invalid").is_none());
        assert!(service("waste").is_some());
    }

    #[test]
    fn attributes_are_checked() {
        let mut g = BTreeMap::new();
        assert!(check_attributes("drainage", &g).is_err());
        g.insert("water_depth_cm".to_string(), vec!["30".to_string()]);
        g.insert("severity".to_string(), vec!["high".to_string()]);
        assert_eq!(
            check_attributes("drainage", &g),
            Ok(vec!["severity=high".to_string(), "water_depth_cm=30".to_string()])
        );
        g.insert("severity".to_string(), vec!["huge".to_string()]);
        assert!(check_attributes("drainage", &g).is_err());
        let h = BTreeMap::from([("hazards".to_string(), vec!["traffic".into(), "night".into()])]);
        assert_eq!(
            check_attributes("roads", &h),
            Ok(vec!["hazards=traffic,night".to_string()])
        );
    }
}
