/**
 * The tables of the standard data interface (数据接口标准), seed 004 §2.2.5 as digested in spec/interfaces.json:
 * 7 categories, 35 tables, 373 fields. `printedFormat` is the format exactly as the seed prints it; `format` is what is
 * enforced — the same, except where the seed prints none (`formatChosen`: the network-protocol tables and a few rows) or
 * where a row is visibly shifted (运维监测数据). `rule` is the parsed form the validator runs. Derived once from the spec
 * and maintained here; docs/ingestion.md lists every choice.
 */
import type { InterfaceCategory, InterfaceTable } from './registry.types.js';

export const INTERFACE_CATEGORIES: readonly InterfaceCategory[] = [
  {
    "name": "assetData",
    "cn": "资产数据",
    "section": "(1) 资产数据"
  },
  {
    "name": "environmentControlData",
    "cn": "环控数据",
    "section": "(2) 环控数据"
  },
  {
    "name": "networkProtocolData",
    "cn": "网络协议数据",
    "section": "(3) 网络协议数据"
  },
  {
    "name": "logData",
    "cn": "日志数据",
    "section": "(4) 日志数据"
  },
  {
    "name": "cloudPlatformData",
    "cn": "云平台数据",
    "section": "(5) 云平台数据"
  },
  {
    "name": "serviceData",
    "cn": "服务数据",
    "section": "(6) 服务数据"
  },
  {
    "name": "monitoringData",
    "cn": "监控数据",
    "section": "(7) 服务数据 [sic – monitoring data]"
  }
];

export const INTERFACE_TABLES: readonly InterfaceTable[] = [
  {
    "name": "assets",
    "cn": "资产数据",
    "category": "assetData",
    "categoryCn": "资产数据",
    "sqlTable": "ingest_assets",
    "period": "P1W",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "assetCategory",
        "column": "asset_category",
        "cn": "资产分类",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "assetCategory"
      },
      {
        "name": "deviceName",
        "column": "device_name",
        "cn": "设备名称",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "serialNumber",
        "column": "serial_number",
        "cn": "序列号",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "deviceBrand",
        "column": "device_brand",
        "cn": "设备品牌",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "deviceModel",
        "column": "device_model",
        "cn": "设备型号",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "hostSpec",
        "column": "host_spec",
        "cn": "主机规格",
        "printedFormat": "an1..400",
        "format": "an1..400",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 400
        },
        "required": true
      },
      {
        "name": "internalIp",
        "column": "internal_ip",
        "cn": "内部 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "cloudProvider",
        "column": "cloud_provider",
        "cn": "云服务商",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "cloudProvider"
      },
      {
        "name": "networkType",
        "column": "network_type",
        "cn": "网络类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "networkType"
      },
      {
        "name": "runStatus",
        "column": "run_status",
        "cn": "运行状态",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "runStatus"
      },
      {
        "name": "commissionDate",
        "column": "commission_date",
        "cn": "启用日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "decommissionDate",
        "column": "decommission_date",
        "cn": "撤出日期",
        "printedFormat": "an0..10",
        "format": "an0..10",
        "rule": {
          "kind": "date"
        },
        "required": false
      },
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "所在机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "rackNumber",
        "column": "rack_number",
        "cn": "机柜编号",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "rackUnitPosition",
        "column": "rack_unit_position",
        "cn": "机柜位/U 标",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "powerRating",
        "column": "power_rating",
        "cn": "功率",
        "printedFormat": "n1..10,2",
        "format": "n1..10,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 10,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "powerSupplyType",
        "column": "power_supply_type",
        "cn": "电源类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "powerSupplyType"
      },
      {
        "name": "managementType",
        "column": "management_type",
        "cn": "管理类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "managementType"
      },
      {
        "name": "managingUnit",
        "column": "managing_unit",
        "cn": "管理单位",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "managerName",
        "column": "manager_name",
        "cn": "管理人",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "businessSystemName",
        "column": "business_system_name",
        "cn": "业务系统名称",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "managerPhone",
        "column": "manager_phone",
        "cn": "管理人联系方式",
        "printedFormat": "an1..20",
        "format": "an1..20",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 20
        },
        "required": true
      },
      {
        "name": "remarks",
        "column": "remarks",
        "cn": "备注",
        "printedFormat": "an0..800",
        "format": "an0..800",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 800
        },
        "required": false
      }
    ]
  },
  {
    "name": "temperatureHumiditySensor",
    "cn": "温湿度传感器",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_temperature_humidity_sensor",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "location",
        "column": "location",
        "cn": "所在位置",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "temperature",
        "column": "temperature",
        "cn": "温度",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "humidity",
        "column": "humidity",
        "cn": "湿度",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "generator",
    "cn": "发电机",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_generator",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "generatorId",
        "column": "generator_id",
        "cn": "发电机编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "location",
        "column": "location",
        "cn": "所在位置",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "faultStatus",
        "column": "fault_status",
        "cn": "故障状态",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "fuelLevel",
        "column": "fuel_level",
        "cn": "油位容量",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "runStatus",
        "column": "run_status",
        "cn": "运行状态",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true,
        "codeTable": "runStatus"
      }
    ]
  },
  {
    "name": "aduBatteryMonitor",
    "cn": "ADU 电池监控模块",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_adu_battery_monitor",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "deviceId",
        "column": "device_id",
        "cn": "编号",
        "printedFormat": null,
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "location",
        "column": "location",
        "cn": "所在位置",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "current",
        "column": "current",
        "cn": "电流",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "totalVoltage",
        "column": "total_voltage",
        "cn": "总电压",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "backupTime",
        "column": "backup_time",
        "cn": "后备时间",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "ups",
    "cn": "UPS",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_ups",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "location",
        "column": "location",
        "cn": "所在位置",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "inputFrequency",
        "column": "input_frequency",
        "cn": "输入频率",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "ambientTemperature",
        "column": "ambient_temperature",
        "cn": "环境温度",
        "printedFormat": "n1..3.2",
        "format": "n1..3.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "ambientHumidity",
        "column": "ambient_humidity",
        "cn": "环境湿度",
        "printedFormat": "n1..3.2",
        "format": "n1..3.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "outputFrequency",
        "column": "output_frequency",
        "cn": "输出频率",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "batteryTotalVoltage",
        "column": "battery_total_voltage",
        "cn": "电池总电压",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "batteryTotalCurrent",
        "column": "battery_total_current",
        "cn": "电池总电流",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "batteryTemperature",
        "column": "battery_temperature",
        "cn": "电池温度",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "batteryBackupTime",
        "column": "battery_backup_time",
        "cn": "电池后备时间",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "batteryRemainingCapacity",
        "column": "battery_remaining_capacity",
        "cn": "电池剩余容量",
        "printedFormat": "n1..3.2",
        "format": "n1..3.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "batteryTotalCurrent2",
        "column": "battery_total_current2",
        "cn": "电池总电流",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "upsPowerSupplyStatus",
        "column": "ups_power_supply_status",
        "cn": "UPS 供电状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "upsRunStatus",
        "column": "ups_run_status",
        "cn": "UPS 运行状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "batteryRunStatus",
        "column": "battery_run_status",
        "cn": "电池运行状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "mainsInputAlarmStatus",
        "column": "mains_input_alarm_status",
        "cn": "市电输入告警状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "batteryAlarmStatus",
        "column": "battery_alarm_status",
        "cn": "电池告警状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      }
    ]
  },
  {
    "name": "collector",
    "cn": "采集器",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_collector",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "location",
        "column": "location",
        "cn": "所在位置",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "waterLeakStatus",
        "column": "water_leak_status",
        "cn": "漏水状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "infraredStatus",
        "column": "infrared_status",
        "cn": "红外状态",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "relayOutput",
        "column": "relay_output",
        "cn": "继电器输出",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      }
    ]
  },
  {
    "name": "rowPowerCabinet",
    "cn": "列头柜",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_row_power_cabinet",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "rackNumber",
        "column": "rack_number",
        "cn": "机柜编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "phaseAVoltage",
        "column": "phase_avoltage",
        "cn": "A相电压",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseBVoltage",
        "column": "phase_bvoltage",
        "cn": "B相电压",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseCVoltage",
        "column": "phase_cvoltage",
        "cn": "C相电压",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseACurrent",
        "column": "phase_acurrent",
        "cn": "A相电流",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseBCurrent",
        "column": "phase_bcurrent",
        "cn": "B 相电流",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseCCurrent",
        "column": "phase_ccurrent",
        "cn": "C相电流",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseALoadRate",
        "column": "phase_aload_rate",
        "cn": "A 相负载率",
        "printedFormat": "n1..3.2",
        "format": "n1..3.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseBLoadRate",
        "column": "phase_bload_rate",
        "cn": "B 相负载率",
        "printedFormat": "n1..3.2",
        "format": "n1..3.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "phaseCLoadRate",
        "column": "phase_cload_rate",
        "cn": "C 相负载率",
        "printedFormat": "n1..3.2",
        "format": "n1..3.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "powerMeter",
    "cn": "电量仪",
    "category": "environmentControlData",
    "categoryCn": "环控数据",
    "sqlTable": "ingest_power_meter",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "location",
        "column": "location",
        "cn": "所在位置",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "totalActiveEnergy",
        "column": "total_active_energy",
        "cn": "总有功电度量",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "totalReactiveEnergy",
        "column": "total_reactive_energy",
        "cn": "总无功电度量",
        "printedFormat": "n1..6.2",
        "format": "n1..6.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 6,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "tcp",
    "cn": "tcp",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_tcp",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "ingestTime",
        "column": "ingest_time",
        "cn": "时间",
        "printedFormat": null,
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "collectionEngine",
        "column": "collection_engine",
        "cn": "采集引擎",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeName",
        "column": "node_name",
        "cn": "节点名称",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeType",
        "column": "node_type",
        "cn": "节点类型",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "connectionEstablished",
        "column": "connection_established",
        "cn": "是否建立连接",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "connectionCount",
        "column": "connection_count",
        "cn": "连接次数",
        "printedFormat": null,
        "format": "n1..12",
        "rule": {
          "kind": "integer",
          "maxDigits": 12
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "sessionTotalLength",
        "column": "session_total_length",
        "cn": "会话总长",
        "printedFormat": null,
        "format": "n1..16",
        "rule": {
          "kind": "integer",
          "maxDigits": 16
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "applicationProtocol",
        "column": "application_protocol",
        "cn": "应用层协议",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "http",
    "cn": "HTTP/HTTPS",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_http",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "ingestTime",
        "column": "ingest_time",
        "cn": "时间",
        "printedFormat": null,
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "proxyIp",
        "column": "proxy_ip",
        "cn": "代理 IP",
        "printedFormat": null,
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "nodeName",
        "column": "node_name",
        "cn": "节点名称",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeType",
        "column": "node_type",
        "cn": "节点类型",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "host",
        "column": "host",
        "cn": "主机",
        "printedFormat": null,
        "format": "an0..255",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 255
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "requestFullPath",
        "column": "request_full_path",
        "cn": "请求全路径",
        "printedFormat": null,
        "format": "an0..8000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 8000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "statusCode",
        "column": "status_code",
        "cn": "返回码",
        "printedFormat": null,
        "format": "an0..10",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 10
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "realIp",
        "column": "real_ip",
        "cn": "真实 IP",
        "printedFormat": null,
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "cookie",
        "column": "cookie",
        "cn": "COOKIE",
        "printedFormat": null,
        "format": "an0..8000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 8000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "requestMethod",
        "column": "request_method",
        "cn": "请求方法",
        "printedFormat": null,
        "format": "an0..20",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 20
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "httpType",
        "column": "http_type",
        "cn": "http 类型",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "requestHeaders",
        "column": "request_headers",
        "cn": "请求头",
        "printedFormat": null,
        "format": "an0..16000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 16000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "responseHeaders",
        "column": "response_headers",
        "cn": "响应头",
        "printedFormat": null,
        "format": "an0..16000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 16000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "referer",
        "column": "referer",
        "cn": "来源页面",
        "printedFormat": null,
        "format": "an0..8000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 8000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "responseServer",
        "column": "response_server",
        "cn": "响应服务器",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "requestBody",
        "column": "request_body",
        "cn": "请求内容",
        "printedFormat": null,
        "format": "an0..65535",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 65535
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "responseBody",
        "column": "response_body",
        "cn": "响应内容",
        "printedFormat": null,
        "format": "an0..65535",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 65535
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "inboundBytes",
        "column": "inbound_bytes",
        "cn": "入流量",
        "printedFormat": null,
        "format": "n1..16",
        "rule": {
          "kind": "integer",
          "maxDigits": 16
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "outboundBytes",
        "column": "outbound_bytes",
        "cn": "出流量",
        "printedFormat": null,
        "format": "n1..16",
        "rule": {
          "kind": "integer",
          "maxDigits": 16
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "dns",
    "cn": "DNS",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_dns",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "ingestTime",
        "column": "ingest_time",
        "cn": "时间",
        "printedFormat": null,
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "proxyIp",
        "column": "proxy_ip",
        "cn": "代理 IP",
        "printedFormat": null,
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "nodeName",
        "column": "node_name",
        "cn": "节点名称",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeType",
        "column": "node_type",
        "cn": "节点类型",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "queryDomain",
        "column": "query_domain",
        "cn": "查询域名",
        "printedFormat": null,
        "format": "an0..255",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 255
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "dnsType",
        "column": "dns_type",
        "cn": "DNS 类型",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "queryType",
        "column": "query_type",
        "cn": "查询类型",
        "printedFormat": null,
        "format": "an0..20",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 20
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "requestType",
        "column": "request_type",
        "cn": "请求类型",
        "printedFormat": null,
        "format": "n1..3",
        "rule": {
          "kind": "integer",
          "maxDigits": 3
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "returnCode",
        "column": "return_code",
        "cn": "返回码",
        "printedFormat": null,
        "format": "n1..3",
        "rule": {
          "kind": "integer",
          "maxDigits": 3
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "requestRecordClass",
        "column": "request_record_class",
        "cn": "请求资源记录类型",
        "printedFormat": null,
        "format": "an0..20",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 20
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "response",
        "column": "response",
        "cn": "响应",
        "printedFormat": null,
        "format": "an0..8000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 8000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "recordTtlSeconds",
        "column": "record_ttl_seconds",
        "cn": "资源记录被缓存的秒数",
        "printedFormat": null,
        "format": "n1..10",
        "rule": {
          "kind": "integer",
          "maxDigits": 10
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "domainLevel",
        "column": "domain_level",
        "cn": "域名级别",
        "printedFormat": null,
        "format": "n1..3",
        "rule": {
          "kind": "integer",
          "maxDigits": 3
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "responseData",
        "column": "response_data",
        "cn": "响应数据",
        "printedFormat": null,
        "format": "an0..8000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 8000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "responseDataLength",
        "column": "response_data_length",
        "cn": "响应数据长度",
        "printedFormat": null,
        "format": "n1..10",
        "rule": {
          "kind": "integer",
          "maxDigits": 10
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "domainLength",
        "column": "domain_length",
        "cn": "域名长度",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "answerRecordCount",
        "column": "answer_record_count",
        "cn": "资源记录数",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "queryDomainCount",
        "column": "query_domain_count",
        "cn": "请求域名数量",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "topLevelDomain",
        "column": "top_level_domain",
        "cn": "顶级域名",
        "printedFormat": null,
        "format": "an0..63",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 63
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "additionalRecordCount",
        "column": "additional_record_count",
        "cn": "额外资源记录数",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "authorityRecordCount",
        "column": "authority_record_count",
        "cn": "授权资源记录数",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "responseIpCount",
        "column": "response_ip_count",
        "cn": "响应的 ip 总数",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "smtp",
    "cn": "smtp",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_smtp",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "ingestTime",
        "column": "ingest_time",
        "cn": "时间",
        "printedFormat": null,
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "proxyIp",
        "column": "proxy_ip",
        "cn": "代理 IP",
        "printedFormat": null,
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "nodeName",
        "column": "node_name",
        "cn": "节点名称",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeType",
        "column": "node_type",
        "cn": "节点类型",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "mailType",
        "column": "mail_type",
        "cn": "邮件类型",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "user",
        "column": "mail_user",
        "cn": "用户",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "encrypted",
        "column": "encrypted",
        "cn": "是否加密",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "pop3",
    "cn": "pop3",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_pop3",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "ingestTime",
        "column": "ingest_time",
        "cn": "时间",
        "printedFormat": null,
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "proxyIp",
        "column": "proxy_ip",
        "cn": "代理 IP",
        "printedFormat": null,
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "nodeName",
        "column": "node_name",
        "cn": "节点名称",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeType",
        "column": "node_type",
        "cn": "节点类型",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "user",
        "column": "mail_user",
        "cn": "用户",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "mailType",
        "column": "mail_type",
        "cn": "类型",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "encrypted",
        "column": "encrypted",
        "cn": "是否加密",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "imap",
    "cn": "imap",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_imap",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "ingestTime",
        "column": "ingest_time",
        "cn": "时间",
        "printedFormat": null,
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "proxyIp",
        "column": "proxy_ip",
        "cn": "代理 IP",
        "printedFormat": null,
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "nodeName",
        "column": "node_name",
        "cn": "节点名称",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "nodeType",
        "column": "node_type",
        "cn": "节点类型",
        "printedFormat": null,
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "user",
        "column": "mail_user",
        "cn": "用户（账户）",
        "printedFormat": null,
        "format": "an0..100",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 100
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "encrypted",
        "column": "encrypted",
        "cn": "是否加密",
        "printedFormat": null,
        "format": "n1..1",
        "rule": {
          "kind": "integer",
          "maxDigits": 1
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "ftp",
    "cn": "FTP",
    "category": "networkProtocolData",
    "categoryCn": "网络协议数据",
    "sqlTable": "ingest_ftp",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 35,
    "timeField": "timestamp",
    "fields": [
      {
        "name": "timestamp",
        "column": "timestamp",
        "cn": "时间戳",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": null,
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "formatChosen": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": null,
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": false,
        "formatChosen": true,
        "semantic": "port"
      },
      {
        "name": "transferMode",
        "column": "transfer_mode",
        "cn": "传输模式",
        "printedFormat": null,
        "format": "an0..20",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 20
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "fileName",
        "column": "file_name",
        "cn": "文件名字",
        "printedFormat": null,
        "format": "an0..1000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 1000
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "fileMd5",
        "column": "file_md5",
        "cn": "文件 md5",
        "printedFormat": null,
        "format": "an0..32",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 32
        },
        "required": false,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "securityDeviceLog",
    "cn": "安全设备日志",
    "category": "logData",
    "categoryCn": "日志数据",
    "sqlTable": "ingest_security_device_log",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 190,
    "timeField": "occurredAt",
    "fields": [
      {
        "name": "occurredAt",
        "column": "occurred_at",
        "cn": "产生日期",
        "printedFormat": "an19",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true
      },
      {
        "name": "alarmName",
        "column": "alarm_name",
        "cn": "报警名称",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "reportingDeviceIp",
        "column": "reporting_device_ip",
        "cn": "发生源 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "proxyIp",
        "column": "proxy_ip",
        "cn": "代理 IP",
        "printedFormat": "an0..40",
        "format": "an0..40",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 40
        },
        "required": false,
        "semantic": "ip"
      },
      {
        "name": "deviceName",
        "column": "device_name",
        "cn": "设备名称",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "serialNumber",
        "column": "serial_number",
        "cn": "序列号",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "deviceType",
        "column": "device_type",
        "cn": "设备类型",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "srcIp",
        "column": "src_ip",
        "cn": "源 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "srcPort",
        "column": "src_port",
        "cn": "源端口",
        "printedFormat": "n1..5",
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": true,
        "semantic": "port"
      },
      {
        "name": "dstIp",
        "column": "dst_ip",
        "cn": "目的 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "dstPort",
        "column": "dst_port",
        "cn": "目的端口",
        "printedFormat": "n1..5",
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": true,
        "semantic": "port"
      },
      {
        "name": "logLevel",
        "column": "log_level",
        "cn": "日志等级",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "alarmType",
        "column": "alarm_type",
        "cn": "报警类型",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "logContent",
        "column": "log_content",
        "cn": "日志",
        "printedFormat": "an0..8000",
        "format": "an0..8000",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 8000
        },
        "required": false
      }
    ]
  },
  {
    "name": "hostLog",
    "cn": "主机日志",
    "category": "logData",
    "categoryCn": "日志数据",
    "sqlTable": "ingest_host_log",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 190,
    "timeField": "occurredAt",
    "fields": [
      {
        "name": "occurredAt",
        "column": "occurred_at",
        "cn": "产生日期",
        "printedFormat": "an19",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true
      },
      {
        "name": "cloudHostId",
        "column": "cloud_host_id",
        "cn": "云主机 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "hostName",
        "column": "host_name",
        "cn": "主机名称",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "hostIp",
        "column": "host_ip",
        "cn": "主机 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "osType",
        "column": "os_type",
        "cn": "操作系统类型",
        "printedFormat": "an1..40",
        "format": "an1..40",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 40
        },
        "required": true
      },
      {
        "name": "logName",
        "column": "log_name",
        "cn": "日志名称",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "logType",
        "column": "log_type",
        "cn": "日志类型",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "logBody",
        "column": "log_body",
        "cn": "日志正文",
        "printedFormat": "an1..8000",
        "format": "an1..8000",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 8000
        },
        "required": true
      }
    ]
  },
  {
    "name": "platformSpec",
    "cn": "云平台规格数据",
    "category": "cloudPlatformData",
    "categoryCn": "云平台数据",
    "sqlTable": "ingest_platform_spec",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "cloudProvider",
        "column": "cloud_provider",
        "cn": "云服务商",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "cloudProvider"
      },
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "platformVendor",
        "column": "platform_vendor",
        "cn": "云平台所属厂商",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "platformNetworkType",
        "column": "platform_network_type",
        "cn": "云平台网络类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "networkType"
      },
      {
        "name": "cpuTotal",
        "column": "cpu_total",
        "cn": "CPU 总量",
        "printedFormat": "n1..12",
        "format": "n1..12",
        "rule": {
          "kind": "integer",
          "maxDigits": 12
        },
        "required": true
      },
      {
        "name": "cpuAllocated",
        "column": "cpu_allocated",
        "cn": "CPU 分配量",
        "printedFormat": "n1..12",
        "format": "n1..12",
        "rule": {
          "kind": "integer",
          "maxDigits": 12
        },
        "required": true
      },
      {
        "name": "memoryTotal",
        "column": "memory_total",
        "cn": "内存总量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "memoryAllocated",
        "column": "memory_allocated",
        "cn": "内存分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "standardStorageTotal",
        "column": "standard_storage_total",
        "cn": "普通存储总量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "standardStorageAllocated",
        "column": "standard_storage_allocated",
        "cn": "普通存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "highPerfStorageTotal",
        "column": "high_perf_storage_total",
        "cn": "高性能存储总量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "highPerfStorageAllocated",
        "column": "high_perf_storage_allocated",
        "cn": "高性能存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "staticStorageTotal",
        "column": "static_storage_total",
        "cn": "静态存储总量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "staticStorageAllocated",
        "column": "static_storage_allocated",
        "cn": "静态存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "internetBandwidthTotal",
        "column": "internet_bandwidth_total",
        "cn": "互联网带宽总量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "internetBandwidthAllocated",
        "column": "internet_bandwidth_allocated",
        "cn": "互联网带宽分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "platformNetworkAccessIp",
    "cn": "云平台网络接入 IP 数据",
    "category": "cloudPlatformData",
    "categoryCn": "云平台数据",
    "sqlTable": "ingest_platform_network_access_ip",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "networkType",
        "column": "network_type",
        "cn": "网络类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "networkType"
      },
      {
        "name": "cloudProvider",
        "column": "cloud_provider",
        "cn": "云服务商",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "cloudProvider"
      },
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "carrier",
        "column": "carrier",
        "cn": "运营商",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "ipAddressOrRange",
        "column": "ip_address_or_range",
        "cn": "IP 地址/IP 地址段",
        "printedFormat": "an1..800",
        "format": "an1..800",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 800
        },
        "required": true,
        "semantic": "ipList"
      },
      {
        "name": "primaryLinkBandwidth",
        "column": "primary_link_bandwidth",
        "cn": "主链路带宽",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "backupLinkBandwidth",
        "column": "backup_link_bandwidth",
        "cn": "备份链路带宽",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "businessSystem",
    "cn": "业务系统数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_business_system",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "userUnitId",
        "column": "user_unit_id",
        "cn": "使用单位编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "unitPostcode",
        "column": "unit_postcode",
        "cn": "单位地址邮编",
        "printedFormat": null,
        "format": "an0..6",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 6
        },
        "required": false,
        "formatChosen": true
      },
      {
        "name": "cloudPlatform",
        "column": "cloud_platform",
        "cn": "云平台",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "cloudProvider"
      },
      {
        "name": "deploymentNode",
        "column": "deployment_node",
        "cn": "部署节点",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "machineRoom",
        "column": "machine_room",
        "cn": "机房",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "systemName",
        "column": "system_name",
        "cn": "信息系统名称",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "cloudTestDate",
        "column": "cloud_test_date",
        "cn": "入云测试日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "contactName",
        "column": "contact_name",
        "cn": "联系人姓名",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "contactMobile",
        "column": "contact_mobile",
        "cn": "联系人手机号",
        "printedFormat": "an1..20",
        "format": "an1..20",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 20
        },
        "required": true
      },
      {
        "name": "contactEmail",
        "column": "contact_email",
        "cn": "联系人电子邮箱",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "contactLandline",
        "column": "contact_landline",
        "cn": "联系人座机",
        "printedFormat": "an0..20",
        "format": "an0..20",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 20
        },
        "required": false
      },
      {
        "name": "techContactName",
        "column": "tech_contact_name",
        "cn": "技术人联系人姓名",
        "printedFormat": "an0..50",
        "format": "an0..50",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 50
        },
        "required": false
      },
      {
        "name": "techContactMobile",
        "column": "tech_contact_mobile",
        "cn": "技术联系人手机号",
        "printedFormat": "an0..20",
        "format": "an0..20",
        "rule": {
          "kind": "text",
          "min": 0,
          "max": 20
        },
        "required": false
      },
      {
        "name": "preApprovalStatus",
        "column": "pre_approval_status",
        "cn": "前置审批情况",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "functionDescription",
        "column": "function_description",
        "cn": "功能描述",
        "printedFormat": "an1..8000",
        "format": "an1..8000",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 8000
        },
        "required": true
      },
      {
        "name": "systemType",
        "column": "system_type",
        "cn": "系统类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "securityGradingLevel",
        "column": "security_grading_level",
        "cn": "信息系统定级情况",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "operatingHours",
        "column": "operating_hours",
        "cn": "信息系统运行时间",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "serviceAudience",
        "column": "service_audience",
        "cn": "系统服务对象",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "serviceScope",
        "column": "service_scope",
        "cn": "系统服务范围",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "networkNature",
        "column": "network_nature",
        "cn": "网络性质",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "interconnection",
        "column": "interconnection",
        "cn": "系统互联情况及涉及单位",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "otherNotes",
        "column": "other_notes",
        "cn": "其他说明",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": false
      },
      {
        "name": "goLiveDate",
        "column": "go_live_date",
        "cn": "上线日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "exitDate",
        "column": "exit_date",
        "cn": "退出日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      },
      {
        "name": "exitReason",
        "column": "exit_reason",
        "cn": "退出原因",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": false
      },
      {
        "name": "accessUrl",
        "column": "access_url",
        "cn": "信息系统访问地址",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "appVendor",
        "column": "app_vendor",
        "cn": "应用厂商",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      }
    ]
  },
  {
    "name": "cloudHostSpec",
    "cn": "云主机规格数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_cloud_host_spec",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "cloudHostName",
        "column": "cloud_host_name",
        "cn": "云主机名称",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "cloudHostId",
        "column": "cloud_host_id",
        "cn": "云主机 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "internalIp",
        "column": "internal_ip",
        "cn": "内部 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "cloudHostType",
        "column": "cloud_host_type",
        "cn": "云主机类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "cloudHostType"
      },
      {
        "name": "runStatus",
        "column": "run_status",
        "cn": "运行状态",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "runStatus"
      },
      {
        "name": "cloudPlatform",
        "column": "cloud_platform",
        "cn": "云平台",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "cloudProvider"
      },
      {
        "name": "regionCode",
        "column": "region_code",
        "cn": "所属区域编码",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "machineRoom"
      },
      {
        "name": "networkType",
        "column": "network_type",
        "cn": "网络类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "networkType"
      },
      {
        "name": "createdDate",
        "column": "created_date",
        "cn": "创建日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "deletedDate",
        "column": "deleted_date",
        "cn": "删除日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      },
      {
        "name": "cpuCores",
        "column": "cpu_cores",
        "cn": "CPU 核数",
        "printedFormat": "n1..12",
        "format": "n1..12",
        "rule": {
          "kind": "integer",
          "maxDigits": 12
        },
        "required": true
      },
      {
        "name": "memoryAllocated",
        "column": "memory_allocated",
        "cn": "内存分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "standardStorageAllocated",
        "column": "standard_storage_allocated",
        "cn": "普通存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "highPerfStorageAllocated",
        "column": "high_perf_storage_allocated",
        "cn": "高性能存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "staticStorageAllocated",
        "column": "static_storage_allocated",
        "cn": "静态存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "localVideoStorageAllocated",
        "column": "local_video_storage_allocated",
        "cn": "本地视频存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "offsiteStorageAllocated",
        "column": "offsite_storage_allocated",
        "cn": "异地存储分配量",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      }
    ]
  },
  {
    "name": "internetBandwidthService",
    "cn": "互联网链路带宽服务数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_internet_bandwidth_service",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "internetIp",
        "column": "internet_ip",
        "cn": "互联网 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "systemDomain",
        "column": "system_domain",
        "cn": "系统域名",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "bandwidth",
        "column": "bandwidth",
        "cn": "带宽",
        "printedFormat": "n1..16.2",
        "format": "n1..16.2",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "startDate",
        "column": "start_date",
        "cn": "起始日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "endDate",
        "column": "end_date",
        "cn": "截止日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      }
    ]
  },
  {
    "name": "loadBalancerService",
    "cn": "主机负载均衡服务数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_load_balancer_service",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "internalIp",
        "column": "internal_ip",
        "cn": "内网 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "externalIp",
        "column": "external_ip",
        "cn": "外网 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "loadBalancerIp",
        "column": "load_balancer_ip",
        "cn": "负载 IP",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "openPort",
        "column": "open_port",
        "cn": "开放端口",
        "printedFormat": "n1..5",
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": true,
        "semantic": "port"
      },
      {
        "name": "openedDate",
        "column": "opened_date",
        "cn": "开通日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "closedDate",
        "column": "closed_date",
        "cn": "关闭日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      }
    ]
  },
  {
    "name": "vpnService",
    "cn": "VPN 服务数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_vpn_service",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "vpnType",
        "column": "vpn_type",
        "cn": "VPN 类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "account",
        "column": "account",
        "cn": "账号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "accessibleRange",
        "column": "accessible_range",
        "cn": "可访问范围（IP 或 IP 地址段）",
        "printedFormat": "an1..800",
        "format": "an1..800",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 800
        },
        "required": true,
        "semantic": "ipList"
      },
      {
        "name": "openedDate",
        "column": "opened_date",
        "cn": "开通日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "closedDate",
        "column": "closed_date",
        "cn": "关闭日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      }
    ]
  },
  {
    "name": "wafService",
    "cn": "WAF 防护服务数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_waf_service",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "ipAddress",
        "column": "ip_address",
        "cn": "IP 地址",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "port",
        "column": "port",
        "cn": "端口",
        "printedFormat": "n1..5",
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": true,
        "semantic": "port"
      },
      {
        "name": "protectionType",
        "column": "protection_type",
        "cn": "防护类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "openedDate",
        "column": "opened_date",
        "cn": "开通日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "closedDate",
        "column": "closed_date",
        "cn": "关闭日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      }
    ]
  },
  {
    "name": "remoteAccessService",
    "cn": "远程接入服务数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_remote_access_service",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "account",
        "column": "account",
        "cn": "账号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "accessibleRange",
        "column": "accessible_range",
        "cn": "可访问范围（IP 或 IP 地址段）",
        "printedFormat": "an1..800",
        "format": "an1..800",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 800
        },
        "required": true,
        "semantic": "ipList"
      },
      {
        "name": "openedDate",
        "column": "opened_date",
        "cn": "开通日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "closedDate",
        "column": "closed_date",
        "cn": "关闭日期",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      }
    ]
  },
  {
    "name": "leasedLineService",
    "cn": "云机房专线接入服务数据",
    "category": "serviceData",
    "categoryCn": "服务数据",
    "sqlTable": "ingest_leased_line_service",
    "period": "P1D",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "carrier",
        "column": "carrier",
        "cn": "网络运营商",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "leasedLinePurpose",
        "column": "leased_line_purpose",
        "cn": "专线用途",
        "printedFormat": "an1..200",
        "format": "an1..200",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 200
        },
        "required": true
      },
      {
        "name": "startTime",
        "column": "start_time",
        "cn": "起始时间",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": true
      },
      {
        "name": "endTime",
        "column": "end_time",
        "cn": "结束时间",
        "printedFormat": "an10",
        "format": "an10",
        "rule": {
          "kind": "date"
        },
        "required": false
      },
      {
        "name": "localEndAddress",
        "column": "local_end_address",
        "cn": "线路本端地址",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "remoteEndAddress",
        "column": "remote_end_address",
        "cn": "线路对端地址",
        "printedFormat": "an7..40",
        "format": "an7..40",
        "rule": {
          "kind": "text",
          "min": 7,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "patchCabinetNumber",
        "column": "patch_cabinet_number",
        "cn": "配线柜编号",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "cloudRackNumber",
        "column": "cloud_rack_number",
        "cn": "云机柜编号",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "accessDeviceName",
        "column": "access_device_name",
        "cn": "接入设备名称",
        "printedFormat": "an1..100",
        "format": "an1..100",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 100
        },
        "required": true
      },
      {
        "name": "accessDevicePort",
        "column": "access_device_port",
        "cn": "接入设备端口",
        "printedFormat": "n1..5",
        "format": "n1..5",
        "rule": {
          "kind": "integer",
          "maxDigits": 5
        },
        "required": true,
        "semantic": "port"
      }
    ]
  },
  {
    "name": "cloudHostMonitoring",
    "cn": "云主机监控数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_cloud_host_monitoring",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": "monitoredAt",
    "fields": [
      {
        "name": "cloudHostId",
        "column": "cloud_host_id",
        "cn": "云主机 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "monitoredAt",
        "column": "monitored_at",
        "cn": "监控时间",
        "printedFormat": "an19",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true
      },
      {
        "name": "internalIp",
        "column": "internal_ip",
        "cn": "内部 IP",
        "printedFormat": "an1..40",
        "format": "an1..40",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 40
        },
        "required": true,
        "semantic": "ip"
      },
      {
        "name": "cpuUsage",
        "column": "cpu_usage",
        "cn": "CPU 使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "memoryUsage",
        "column": "memory_usage",
        "cn": "内存使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "standardStorageUsage",
        "column": "standard_storage_usage",
        "cn": "普通存储使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "highPerfStorageUsage",
        "column": "high_perf_storage_usage",
        "cn": "高性能存储使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "staticStorageUsage",
        "column": "static_storage_usage",
        "cn": "静态存储使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "localVideoStorageUsage",
        "column": "local_video_storage_usage",
        "cn": "本地视频存储使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "offsiteVideoUsage",
        "column": "offsite_video_usage",
        "cn": "异地视频使用率",
        "printedFormat": "n1..3,2",
        "format": "n1..3,2",
        "rule": {
          "kind": "decimal",
          "intDigits": 3,
          "fracDigits": 2
        },
        "required": true
      },
      {
        "name": "diskWritePeak",
        "column": "disk_write_peak",
        "cn": "磁盘写峰值",
        "printedFormat": "n1..16.4",
        "format": "n1..16.4",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 4
        },
        "required": true
      },
      {
        "name": "diskReadPeak",
        "column": "disk_read_peak",
        "cn": "磁盘读峰值",
        "printedFormat": "n1..16.4",
        "format": "n1..16.4",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 4
        },
        "required": true
      },
      {
        "name": "bandwidthUpPeak",
        "column": "bandwidth_up_peak",
        "cn": "带宽上行峰值",
        "printedFormat": "n1..16.8",
        "format": "n1..16.8",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 8
        },
        "required": true
      },
      {
        "name": "bandwidthDownPeak",
        "column": "bandwidth_down_peak",
        "cn": "带宽下行峰值",
        "printedFormat": "n1..16.8",
        "format": "n1..16.8",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 8
        },
        "required": true
      }
    ]
  },
  {
    "name": "appNetworkEgress",
    "cn": "应用系统网络出口使用数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_app_network_egress",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": "monitoredAt",
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "业务系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "networkType",
        "column": "network_type",
        "cn": "网络类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "networkType"
      },
      {
        "name": "monitoredAt",
        "column": "monitored_at",
        "cn": "监控时间",
        "printedFormat": "an19",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true
      },
      {
        "name": "bandwidthUpPeak",
        "column": "bandwidth_up_peak",
        "cn": "带宽上行峰值",
        "printedFormat": "n1..16.8",
        "format": "n1..16.8",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 8
        },
        "required": true
      },
      {
        "name": "bandwidthDownPeak",
        "column": "bandwidth_down_peak",
        "cn": "带宽下行峰值",
        "printedFormat": "n1..16.8",
        "format": "n1..16.8",
        "rule": {
          "kind": "decimal",
          "intDigits": 16,
          "fracDigits": 8
        },
        "required": true
      }
    ]
  },
  {
    "name": "vpnRemoteLogin",
    "cn": "VPN/远程接入登录数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_vpn_remote_login",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": "monitoredAt",
    "fields": [
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "业务系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "networkType",
        "column": "network_type",
        "cn": "网络类型",
        "printedFormat": "an4",
        "format": "an4",
        "rule": {
          "kind": "text",
          "min": 4,
          "max": 4
        },
        "required": true,
        "codeTable": "networkType"
      },
      {
        "name": "monitoredAt",
        "column": "monitored_at",
        "cn": "监控时间",
        "printedFormat": "an19",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true
      },
      {
        "name": "accessType",
        "column": "access_type",
        "cn": "类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "account",
        "column": "account",
        "cn": "账号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "sessionId",
        "column": "session_id",
        "cn": "会话 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "loginTime",
        "column": "login_time",
        "cn": "登入时间",
        "printedFormat": "an19",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true
      },
      {
        "name": "logoutTime",
        "column": "logout_time",
        "cn": "退出时间",
        "printedFormat": "an0..19",
        "format": "an0..19",
        "rule": {
          "kind": "datetime"
        },
        "required": false
      }
    ]
  },
  {
    "name": "opsMonitoring",
    "cn": "运维监测数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_ops_monitoring",
    "period": "PT5M",
    "partitionUnit": "day",
    "retentionDays": 400,
    "timeField": "checkedAt",
    "fields": [
      {
        "name": "checkType",
        "column": "check_type",
        "cn": "检测类型",
        "printedFormat": null,
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "checkContent",
        "column": "check_content",
        "cn": "监测内容",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "isNormal",
        "column": "is_normal",
        "cn": "是否正常",
        "printedFormat": "an19",
        "format": "an1",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 1
        },
        "required": true,
        "formatChosen": true,
        "codeTable": "yesNo"
      },
      {
        "name": "checkedAt",
        "column": "checked_at",
        "cn": "监测时间",
        "printedFormat": "an1..50",
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "checkedBy",
        "column": "checked_by",
        "cn": "监测人",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      }
    ]
  },
  {
    "name": "vulnerabilityScan",
    "cn": "安全漏洞扫描数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_vulnerability_scan",
    "period": "P1W",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "vulnerabilityName",
        "column": "vulnerability_name",
        "cn": "安全漏洞名称",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "vulnerabilityType",
        "column": "vulnerability_type",
        "cn": "漏洞类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "riskLevel",
        "column": "risk_level",
        "cn": "安全漏洞风险等级",
        "printedFormat": "an1",
        "format": "an1",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 1
        },
        "required": true,
        "codeTable": "riskLevel"
      },
      {
        "name": "cloudHostId",
        "column": "cloud_host_id",
        "cn": "云主机 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "scannedAt",
        "column": "scanned_at",
        "cn": "监测时间",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "notifiedRelatedUnits",
        "column": "notified_related_units",
        "cn": "是否通知相关单位",
        "printedFormat": "an1",
        "format": "an1",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 1
        },
        "required": true,
        "codeTable": "yesNo"
      },
      {
        "name": "remediationStatus",
        "column": "remediation_status",
        "cn": "漏洞是否整改",
        "printedFormat": "an1..4",
        "format": "an1..4",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 4
        },
        "required": true,
        "codeTable": "remediationStatus"
      },
      {
        "name": "remediatedAt",
        "column": "remediated_at",
        "cn": "漏洞整改时间",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": false
      }
    ]
  },
  {
    "name": "patchInstallation",
    "cn": "安全补丁安装数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_patch_installation",
    "period": "P1W",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": null,
    "fields": [
      {
        "name": "patchName",
        "column": "patch_name",
        "cn": "安全补丁名称",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "cloudHostId",
        "column": "cloud_host_id",
        "cn": "云主机 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "patchType",
        "column": "patch_type",
        "cn": "补丁类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "patchReleasedAt",
        "column": "patch_released_at",
        "cn": "补丁发布时间",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "patchInstalledAt",
        "column": "patch_installed_at",
        "cn": "补丁安装时间",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "checkedBy",
        "column": "checked_by",
        "cn": "监测人",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      }
    ]
  },
  {
    "name": "securityWarning",
    "cn": "安全预警监测数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_security_warning",
    "period": "P1W",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": "monitoredAt",
    "fields": [
      {
        "name": "monitorType",
        "column": "monitor_type",
        "cn": "监测类型",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "monitorContent",
        "column": "monitor_content",
        "cn": "监测内容",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "notifiedRelatedUnits",
        "column": "notified_related_units",
        "cn": "是否已通知相关单位",
        "printedFormat": "an1",
        "format": "an1",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 1
        },
        "required": true,
        "codeTable": "yesNo"
      },
      {
        "name": "monitoredAt",
        "column": "monitored_at",
        "cn": "监测时间",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "monitoredBy",
        "column": "monitored_by",
        "cn": "监测人",
        "printedFormat": null,
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true,
        "formatChosen": true
      }
    ]
  },
  {
    "name": "securityAttack",
    "cn": "安全攻击监测数据",
    "category": "monitoringData",
    "categoryCn": "服务数据（监控/监测类）",
    "sqlTable": "ingest_security_attack",
    "period": "P1W",
    "partitionUnit": "month",
    "retentionDays": 400,
    "timeField": "monitoredAt",
    "fields": [
      {
        "name": "attackName",
        "column": "attack_name",
        "cn": "攻击名称",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "cloudHostId",
        "column": "cloud_host_id",
        "cn": "云主机 ID",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "systemId",
        "column": "system_id",
        "cn": "信息系统编号",
        "printedFormat": "an1..50",
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true
      },
      {
        "name": "notifiedRelatedUnits",
        "column": "notified_related_units",
        "cn": "是否已通知相关单位",
        "printedFormat": "an1",
        "format": "an1",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 1
        },
        "required": true,
        "codeTable": "yesNo"
      },
      {
        "name": "monitoredAt",
        "column": "monitored_at",
        "cn": "监测时间",
        "printedFormat": null,
        "format": "an19",
        "rule": {
          "kind": "datetime"
        },
        "required": true,
        "formatChosen": true
      },
      {
        "name": "monitoredBy",
        "column": "monitored_by",
        "cn": "监测人",
        "printedFormat": null,
        "format": "an1..50",
        "rule": {
          "kind": "text",
          "min": 1,
          "max": 50
        },
        "required": true,
        "formatChosen": true
      }
    ]
  }
];
