"""The app's interface text in Chinese and English (data, looked up with ``t``)."""

from __future__ import annotations

import re
from datetime import date

from layers.i18n_common import COMMON_TEXT
from layers.i18n_upload import UPLOAD_TEXT
from layers.i18n_walk import WALK_TEXT
from layers.registry import Lang

__all__ = ["DRAW_TEXTS", "LANGS", "change_text", "download_name", "has_text", "md", "t", "t_md"]

LANGS: dict[str, Lang] = {"中文": "zh", "English": "en"}

_TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "苏州工业园区规划图集", "en": "Suzhou Industrial Park Planning Atlas"},
    "subtitle": {
        "zh": "环湖地区、五大载体、低效用地、专业服务功能区与消费场景",
        "en": "Lake districts, carrier parks, land reuse, service districts and consumption scenes",
    },
    "language": {"zh": "语言 Language", "en": "Language 语言"},
    "basemap": {"zh": "底图", "en": "Basemap"},
    "layers": {"zh": "图层", "en": "Layers"},
    "shown": {"zh": "已显示图层：{n} / {total}", "en": "Layers shown: {n} of {total}"},
    "gcj_note": {
        "zh": "底图为 GCJ-02 坐标（{name}），叠加图层已由 WGS84 转换为 GCJ-02 以便对齐。",
        "en": "The basemap is in GCJ-02 ({name}); overlays are shifted from WGS84 to line up.",
    },
    "tiles_failed": {
        "zh": "底图瓦片无法加载（可能未连接互联网），已改为显示园区背景图层。"
        "可在侧栏“底图”中选择“无底图（园区背景图层）”。",
        "en": "Basemap tiles cannot be loaded (no internet?): the park's context layers are shown "
        "instead. Choose “No basemap (park context layers)” under Basemap in the sidebar.",
    },
    "table_first": {
        "zh": "表中显示前 {n:,} 行（共 {total:,} 行）；完整图层请在“导出”中下载。",
        "en": "The table shows the first {n:,} of {total:,} rows; download the whole layer under "
        "Export.",
    },
    "snap_embedded": {
        "zh": "“{name}”为大图层，快照中仅含范围内的 {n:,} 个要素。",
        "en": "“{name}” is a large layer: the snapshot holds its {n:,} features within the extent.",
    },
    "snap_overview": {
        "zh": "“{name}”在范围内有 {n:,} 个要素，超过快照可容纳的 {limit:,} 个，因此只含按类别合并的概览；"
        "完整数据请在“导出”中下载 GeoPackage，或缩小范围。",
        "en": "“{name}” has {n:,} features within the extent, more than the {limit:,} a snapshot "
        "can hold, so it holds the overview merged by class; download the full data as "
        "GeoPackage under Export, or choose a smaller extent.",
    },
    "vt_building": {
        "zh": "正在为“{name}”（{n:,} 个要素）生成矢量瓦片，约完成 {pct:.0f}%；完成后地图自动显示该图层。",
        "en": "Building vector tiles for “{name}” ({n:,} features), about {pct:.0f}% done; the map "
        "shows the layer when they are ready.",
    },
    "vt_failed": {
        "zh": "“{name}”的矢量瓦片生成失败，地图上暂不显示该图层（数据已保存，分析与导出不受影响）：{why}",
        "en": "Vector tiles for “{name}” could not be built, so the map does not show it (the "
        "layer is saved; analysis and exports work): {why}",
    },
    "vt_tiled": {
        "zh": "“{name}”有 {n:,} 个要素，地图按矢量瓦片显示：缩放级别 11 及以下显示按类别合并的概览，放大后显示每个要素。",
        "en": "“{name}” has {n:,} features and is drawn from vector tiles: an overview merged by "
        "class at zoom 11 and below, every feature when zoomed in.",
    },
    "no_basemap_note": {
        "zh": "未加载底图：显示园区边界与湖泊水域作为背景，离线可用。",
        "en": "No basemap: the park boundary and lake water are shown as context; works offline.",
    },
    "illustrative": {
        "zh": "低效产业用地图层为示意数据，非官方规划成果，仅供讨论。",
        "en": "The land-reuse parcels are illustrative, not an official plan: for discussion only.",
    },
    "details": {"zh": "要素详情", "en": "Feature details"},
    "details_hint": {
        "zh": "点击地图上的要素查看其属性。",
        "en": "Click a feature on the map to see its attributes.",
    },
    "details_none": {
        "zh": "该位置没有已显示图层的要素。",
        "en": "No feature of a shown layer at that spot.",
    },
    "field": {"zh": "字段", "en": "Field"},
    "value": {"zh": "值", "en": "Value"},
    "summary": {"zh": "图层统计", "en": "Layer summary"},
    "col_layer": {"zh": "图层", "en": "Layer"},
    "col_group": {"zh": "分组", "en": "Group"},
    "col_count": {"zh": "要素数", "en": "Features"},
    "col_area_ha": {"zh": "面积（公顷）", "en": "Area (ha)"},
    "col_area_mu": {"zh": "面积（亩）", "en": "Area (mu)"},
    "col_shown": {"zh": "显示", "en": "Shown"},
    "load_error": {
        "zh": "图层数据无法读取：{error}。请从代码仓库恢复 data/ 目录后刷新页面。",
        "en": "Layer data could not be read: {error}. Restore data/ from the repository and reload.",
    },
    "sources": {
        "zh": "数据：园区边界 © OpenStreetMap 贡献者（ODbL 1.0）；阳澄湖 GSHHG 2.3.6（LGPL-3.0）；"
        "其余由本项目绘制（见 data/SOURCES.md）。坐标系 WGS84 (EPSG:4326)，面积按 EPSG:4549 计算。",
        "en": "Data: park boundary © OpenStreetMap contributors (ODbL 1.0); Yangcheng Lake GSHHG "
        "2.3.6 (LGPL-3.0); the rest drawn by this project (see data/SOURCES.md). WGS84 "
        "(EPSG:4326); areas in EPSG:4549.",
    },
    "upload_title": {"zh": "上传地块文件", "en": "Upload parcels"},
    "upload_help": {
        "zh": "压缩的 shapefile（.zip）、shapefile 各组成文件（.shp .shx .dbf .prj .cpg 一起选择）、GeoPackage、GeoJSON、KML/KMZ、FlatGeobuf、GeoParquet、AutoCAD 图纸（另存为 .dxf）、OpenStreetMap 数据（.osm、.osm.pbf），或带 WKT / 经纬度列的 CSV 或 Excel 表格（.xlsx）；压缩包中的压缩包也可。",
        "en": "A zipped shapefile, a shapefile's parts together (.shp .shx .dbf .prj .cpg), GeoPackage, GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, an AutoCAD drawing saved as .dxf, an OpenStreetMap extract (.osm, .osm.pbf), or a CSV or Excel sheet (.xlsx) with a WKT or lon/lat columns; also a zip inside a zip.",
    },
    "upload_files": {"zh": "选择文件", "en": "Choose files"},
    "upload_layer": {"zh": "文件中的图层", "en": "Layer in the file"},
    "upload_encoding": {"zh": "属性文字编码", "en": "Attribute text encoding"},
    "auto": {"zh": "自动判断", "en": "Decide automatically"},
    "gcj02": {"zh": "GCJ-02（高德、腾讯）", "en": "GCJ-02 (Gaode, Tencent)"},
    "bd09": {"zh": "BD-09（百度）", "en": "BD-09 (Baidu)"},
    "report_title": {"zh": "读取结果", "en": "What was found"},
    "features_read": {"zh": "读取要素", "en": "Features read"},
    "features_kept": {"zh": "保留要素", "en": "Features kept"},
    "repaired": {"zh": "已修复", "en": "Repaired"},
    "dropped": {"zh": "已剔除", "en": "Dropped"},
    "encoding_found": {
        "zh": "编码：{name}（{how}）",
        "en": "Encoding: {name} ({how}: {detail})",
    },
    "crs_found": {"zh": "坐标系：{name}（{how}）", "en": "CRS: {name} ({how}: {detail})"},
    "area_found": {
        "zh": "总面积：{m2:,.0f} m² ＝ {ha:,.2f} 公顷 ＝ {mu:,.1f} 亩",
        "en": "Total area: {m2:,.0f} m² = {ha:,.2f} ha = {mu:,.1f} mu",
    },
    "how_file": {"zh": "文件声明", "en": "from the file"},
    "how_guessed": {"zh": "按坐标推断", "en": "guessed from the coordinates"},
    "how_user": {"zh": "用户指定", "en": "chosen"},
    "how_cpg": {"zh": ".cpg 文件", "en": ".cpg file"},
    "how_ldid": {"zh": "dbf 语言驱动字节", "en": ".dbf language driver"},
    "how_bytes": {"zh": "按文字字节判断", "en": "decided from the bytes"},
    "how_format": {"zh": "格式规定", "en": "set by the format"},
    "change_feature": {
        "zh": "要素（文件中的行号，从 0 起）",
        "en": "Feature (row in the file, from 0)",
    },
    "change_what": {"zh": "修改", "en": "Change"},
    "col_floor": {"zh": "建筑面积（万m²）", "en": "Floor area (10,000 m²)"},
    "upload_unexpected": {
        "zh": "读取该文件时出现意外错误（{error}），未保存任何内容。请将文件反馈给维护人员。",
        "en": "Reading this file failed unexpectedly ({error}); nothing was saved. Please send "
        "the file to the atlas' maintainers.",
    },
    "encoding_preview": {
        "zh": "编码预览（选择文字正确的一种）",
        "en": "Encoding preview (pick the one that reads right)",
    },
    "changes": {"zh": "逐要素修改记录", "en": "What changed, feature by feature"},
    "attribute_preview": {"zh": "属性预览", "en": "Attribute preview"},
    "mapping_title": {"zh": "字段对应", "en": "Match the columns"},
    "mapping_none": {"zh": "（无）", "en": "(none)"},
    "layer_name": {"zh": "图层名称", "en": "Layer name"},
    "save": {"zh": "保存到工作区", "en": "Save to the workspace"},
    "saved": {
        "zh": "已保存：{name}（{n} 个要素）。已加入地图的“我的上传”图层组。",
        "en": "Saved: {name} ({n} features). It is on the map under My uploads.",
    },
    "preview_layer": {"zh": "预览：{name}", "en": "Preview: {name}"},
    "workspace_title": {"zh": "工作区中的图层", "en": "Layers in the workspace"},
    "workspace_empty": {"zh": "尚无上传的图层。", "en": "No uploaded layers yet."},
    "rename": {"zh": "重命名", "en": "Rename"},
    "remove": {"zh": "删除", "en": "Remove"},
    "confirm_remove": {"zh": "确认删除", "en": "Confirm removal"},
    "signin": {"zh": "登录", "en": "Sign in"},
    "signout": {"zh": "退出登录", "en": "Sign out"},
    "signin_needed": {
        "zh": "本图集服务器需要登录：请用单位的统一身份账号登录。",
        "en": "This atlas server needs you to sign in with your organisation's account.",
    },
    "signin_no_role": {
        "zh": "{who} 已登录，但在本工作区没有角色。请联系管理员分配角色（查看、编辑或管理）。",
        "en": "{who} is signed in but has no role in this workspace. Ask an administrator for "
        "one (viewer, editor or admin).",
    },
    "signin_no_admin": {
        "zh": "{who} 已登录，但本工作区尚未指定任何角色。请服务器管理员在服务器上运行 "
        "`sip-atlas users set-role 管理员邮箱 admin` 指定第一位管理员，再由其分配角色。",
        "en": "{who} is signed in, but no roles are set in this workspace yet. The server's "
        "administrator names the first admin on the server with `sip-atlas users set-role "
        "EMAIL admin`, who then assigns the others.",
    },
    "signin_bad_identity": {
        "zh": "登录服务商未提供可用的身份（需要已验证的邮箱或用户标识，且不能以 local: 开头），"
        "本图集无法确认您是谁。请联系管理员。",
        "en": "The sign-in provider gave no usable identity (a verified e-mail or a subject "
        "that does not start with local:), so the atlas cannot tell who you are. Ask an "
        "administrator.",
    },
    "workspace_unreachable": {
        "zh": "无法确认您的角色：工作区暂时无法访问。请稍后刷新页面；问题持续时请联系管理员"
        "（原因已记录在服务器日志中）。",
        "en": "Your role cannot be checked: the workspace is unreachable. Reload the page in a "
        "moment; if it persists, tell the administrator (the server's log has the cause).",
    },
    "signed_in_as": {"zh": "已登录：{who}（{role}）", "en": "Signed in: {who} ({role})"},
    "role_viewer": {"zh": "查看", "en": "viewer"},
    "role_editor": {"zh": "编辑", "en": "editor"},
    "role_admin": {"zh": "管理", "en": "admin"},
    "viewer_no_upload": {
        "zh": "您的角色为“查看”：可以浏览、分析和导出，上传与编辑需要“编辑”角色。",
        "en": "Your role is viewer: you may browse, analyse and export; uploading and editing "
        "need the editor role.",
    },
    "open_server_refused": {
        "zh": "拒绝启动：共享工作区（SIP_ATLAS_DATABASE_URL）未配置登录，任何能访问服务器的人"
        "（包括经由同一台机器上的反向代理）都将成为管理员。请在 .streamlit/secrets.toml 中配置 "
        "[auth]（见 docs/admin.md“Running it for a team”一节）；确需开放时设置 SIP_ATLAS_OPEN_SERVER=1。",
        "en": "Refusing to open: a shared workspace (SIP_ATLAS_DATABASE_URL) with no sign-in "
        "makes whoever reaches the server (also through a reverse proxy on the same host) an "
        "administrator. Configure [auth] in .streamlit/secrets.toml (docs/admin.md, Running it for a "
        "team); set SIP_ATLAS_OPEN_SERVER=1 if it is meant to be open.",
    },
    "removed_to_trash": {
        "zh": "已将 {name} 移至回收站，可在下方“回收站”中恢复。",
        "en": "{name} is in the trash; restore it from the trash below.",
    },
    "restored": {"zh": "已恢复 {name}。", "en": "{name} is back."},
    "restore": {"zh": "恢复", "en": "Restore"},
    "trash_title": {"zh": "回收站（{n}）", "en": "Trash ({n})"},
    "trash_help": {
        "zh": "删除的图层连同原始文件保存在这里，直到管理员清空回收站（sip-atlas trash --empty）。",
        "en": "Removed layers wait here with their original files until an administrator "
        "empties the trash (sip-atlas trash --empty).",
    },
    "trash_item": {
        "zh": "**{name}** · {who} 删除于 {when}",
        "en": "**{name}** · removed by {who}, {when}",
    },
    "history_when": {"zh": "时间", "en": "When"},
    "history_who": {"zh": "操作人", "en": "Who"},
    "history_what": {"zh": "操作", "en": "What"},
    "action_upload": {"zh": "上传", "en": "Uploaded"},
    "action_rename": {"zh": "重命名", "en": "Renamed"},
    "action_remove": {"zh": "删除（移至回收站）", "en": "Removed (to the trash)"},
    "action_restore": {"zh": "恢复", "en": "Restored"},
    "action_empty_trash": {"zh": "永久删除", "en": "Deleted for good"},
    "action_set_role": {"zh": "分配角色", "en": "Role set"},
    "action_remove_user": {"zh": "取消角色", "en": "Role removed"},
    "action_proposal_create": {"zh": "新建方案", "en": "Proposal created"},
    "action_proposal_edit": {"zh": "修改方案", "en": "Proposal edited"},
    "action_proposal_delete": {
        "zh": "删除方案（移至回收站）",
        "en": "Proposal deleted (to the trash)",
    },
    "action_proposal_restore": {"zh": "恢复方案", "en": "Proposal restored"},
    "action_scenario_save": {"zh": "保存情景", "en": "Scenario saved"},
    "action_scenario_delete": {
        "zh": "删除情景（移至回收站）",
        "en": "Scenario deleted (to the trash)",
    },
    "action_scenario_restore": {"zh": "恢复情景", "en": "Scenario restored"},
    "action_scenario_rename": {"zh": "重命名情景", "en": "Scenario renamed"},
    "action_scenario_copy": {"zh": "复制情景", "en": "Scenario copied"},
    "action_proposal_purge": {"zh": "永久删除方案", "en": "Proposal deleted for good"},
    "action_scenario_purge": {"zh": "永久删除情景", "en": "Scenario deleted for good"},
    "history_name": {"zh": "名称", "en": "Name"},
    "trash_proposal": {
        "zh": "方案 **{name}** · {who} 删除于 {when}",
        "en": "Proposal **{name}** · deleted by {who}, {when}",
    },
    "trash_scenario": {
        "zh": "情景 **{name}** · {who} 删除于 {when}",
        "en": "Scenario **{name}** · deleted by {who}, {when}",
    },
    "trash_scenario_replaced": {
        "zh": "情景 **{name}** 的旧版本 · {who} 于 {when} 保存新版本时替换",
        "en": "Scenario **{name}**, the version {who} saved over on {when}",
    },
    "history_target": {"zh": "对象", "en": "On"},
    "admin_title": {
        "zh": "管理（角色、全部历史、回收站）",
        "en": "Administration (roles, history, trash)",
    },
    "admin_roles": {"zh": "角色", "en": "Roles"},
    "admin_account": {"zh": "账号", "en": "Account"},
    "admin_role": {"zh": "角色", "en": "Role"},
    "admin_set": {"zh": "设置", "en": "Set"},
    "admin_no_roles": {
        "zh": "尚未分配角色：这是单人工作区，使用者均可执行所有操作。",
        "en": "No roles yet: a single planner's workspace, where whoever uses it may do everything.",
    },
    "admin_role_set": {"zh": "{who} 的角色已设为“{role}”。", "en": "{who} is now {role}."},
    "admin_history": {"zh": "工作区最近 {n} 项修改", "en": "The workspace's latest {n} changes"},
    "admin_empty_sure": {
        "zh": "确认永久删除回收站中的 {n} 项（图层及其原始文件、方案、情景）",
        "en": "Yes, delete the {n} items in the trash (layers and their original files, "
        "proposals, scenarios) for good",
    },
    "admin_empty": {"zh": "清空回收站", "en": "Empty the trash"},
    "admin_emptied": {"zh": "已永久删除 {n} 项。", "en": "{n} items deleted for good."},
    "target_layer": {"zh": "图层", "en": "layer"},
    "target_proposal": {"zh": "方案", "en": "proposal"},
    "target_scenario": {"zh": "情景", "en": "scenario"},
    "target_user": {"zh": "账号", "en": "account"},
    "not_in_encoding": {
        "zh": "GBK 编码无法保存 {n} 个值中的部分字符（{values}），已以 ? 代替。如需保留，请改用 "
        "UTF-8 导出。",
        "en": "GBK cannot hold some characters of {n} values ({values}); they are written as ?. "
        "Export in UTF-8 to keep them.",
    },
    "workspace_error": {
        "zh": "工作区操作失败：{error}",
        "en": "The workspace could not do that: {error}",
    },
    "analysis_title": {"zh": "规划分析", "en": "Planning analysis"},
    "tab_analysis": {"zh": "规划分析", "en": "Analysis"},
    "tab_upload": {"zh": "上传", "en": "Upload"},
    "tab_summary": {"zh": "图层统计", "en": "Layer summary"},
    "analysis_layer": {"zh": "分析图层", "en": "Layer to analyse"},
    "analysis_by": {"zh": "分组", "en": "Group by"},
    "group_by_column": {"zh": "{name}（地块属性）", "en": "{name} (the features' own)"},
    "group_rule_district": {
        "zh": "每个要素计入占其面积最多的{name}（不在任何片区的部分也参与比较：大部分在片区外的要素计入“不在任何片区”）；没有要素的片区记为 0。",
        "en": "Each feature counts in the {name} item holding most of its area (the part outside every one competes too: a feature mostly outside counts as “in no district”); items with no feature show 0.",
    },
    "group_rule_share": {
        "zh": "每个要素的面积按其落在各{name}内的比例拆分，其余计入“不在任何片区”；跨片区的要素在每个相关片区各计一次。",
        "en": "Each feature's area is split among the {name} items by the share of it each holds, the rest counted as “in no district”; a feature across districts counts once in each.",
    },
    "split_by_share": {"zh": "按面积比例拆分", "en": "Split areas by share"},
    "split_by_share_help": {
        "zh": "不勾选：每个要素整体计入占其面积最多的片区。",
        "en": "Off: each feature counts wholly in the district holding most of it.",
    },
    "group_rule_column": {
        "zh": "按要素自身的“{name}”属性分组。",
        "en": "Grouped by the features' own attribute “{name}”.",
    },
    "analysis_split": {"zh": "细分", "en": "Split by"},
    "split_none": {"zh": "不细分", "en": "Nothing"},
    "split_status": {"zh": "状态", "en": "Status"},
    "split_land_use": {"zh": "用地性质", "en": "Land use"},
    "filters": {"zh": "筛选", "en": "Filters"},
    "filter_status": {"zh": "状态", "en": "Status"},
    "filter_land_use": {"zh": "用地性质", "en": "Land use"},
    "filter_district": {"zh": "片区", "en": "District"},
    "filter_area": {"zh": "面积范围（公顷）", "en": "Area range (ha)"},
    "filters_hide": {
        "zh": "筛选隐藏了 {n} 个地块。未选：{what}",
        "en": "The filters hide {n} parcels. Not chosen: {what}",
    },
    "filters_clear": {"zh": "清除筛选", "en": "Clear filters"},
    "district_none": {"zh": "（不在任何片区）", "en": "(in no district)"},
    "filtered": {
        "zh": "筛选后 {n} / {total} 个地块，{ha:,.2f} 公顷（{mu:,.1f} 亩）",
        "en": "{n} of {total} parcels after filtering, {ha:,.2f} ha ({mu:,.1f} mu)",
    },
    "overlay_table": {
        "zh": "按片区统计（面积按 EPSG:4549 计算）",
        "en": "By district (areas measured in EPSG:4549)",
    },
    "walking_title": {
        "zh": "步行生活圈（GB 50180-2018）",
        "en": "Walking life circles (GB 50180-2018)",
    },
    "walking_of": {"zh": "围绕", "en": "Around"},
    "radius_for": {"zh": "{m} 分钟步行距离（米）", "en": "{m}-minute walk (m)"},
    "show_circles": {"zh": "在地图上显示步行圈", "en": "Show the circles on the map"},
    "highlight_outside": {
        "zh": "突出显示 15 分钟步行圈外的地块",
        "en": "Highlight parcels outside every 15-minute circle",
    },
    "coverage_table": {"zh": "步行圈覆盖", "en": "Walking-circle coverage"},
    "outside_layer": {"zh": "15分钟步行圈外的地块", "en": "Parcels outside the 15-minute circles"},
    "circles_layer": {
        "zh": "{m}分钟步行圈（直线 {r:.0f} 米）",
        "en": "{m}-minute circle (straight line, {r:.0f} m)",
    },
    "nearby_title": {"zh": "周边查询", "en": "What is nearby"},
    "nearby_distance": {"zh": "距离（米）", "en": "Distance (m)"},
    "nearby_hint": {
        "zh": "在地图上点击一个要素，列出其周边的要素。",
        "en": "Click a feature on the map to list what lies near it.",
    },
    "nearby_of": {
        "zh": "{name} 周边 {d:.0f} 米内：{n} 个要素",
        "en": "Within {d:.0f} m of {name}: {n} features",
    },
    "upload_replaced": {
        "zh": "{new} 替换了上传框中原有的 {old}。",
        "en": "{new} replaced {old} in the upload box.",
    },
    "snapshot_table": {
        "zh": "在图纸上附统计表（规划分析中的分区统计，PNG/PDF）",
        "en": "Put the statistics table on the sheet (the analysis' district table, PNG/PDF)",
    },
    "labels": {"zh": "标注（名称、编号）", "en": "Labels (names, numbers)"},
    "search": {"zh": "查找编号或名称", "en": "Find a number or name"},
    "search_hint": {"zh": "如 LR-XL-07、苏州中心", "en": "e.g. LR-XL-07, Suzhou Center"},
    "search_none": {"zh": "在已显示的图层中没有找到。", "en": "Not found in the layers shown."},
    "selected_layer": {"zh": "选中的要素", "en": "Selected feature"},
    "tab_table": {"zh": "属性表", "en": "Attribute table"},
    "table_empty": {"zh": "没有显示中的要素图层。", "en": "No feature layer is shown."},
    "table_filtered": {
        "zh": "按规划分析中的筛选显示 {n} / {total} 个要素。",
        "en": "{n} of {total} features, as filtered in the analysis.",
    },
    "table_hint": {
        "zh": "点击列名排序；勾选一行即在地图上选中并定位该要素。",
        "en": "Click a column name to sort; tick a row to select the feature and go to it on the map.",
    },
    "nearby_layer": {"zh": "周边 {d:.0f} 米内的要素", "en": "Features within {d:.0f} m"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download_xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "chart_area": {"zh": "面积（公顷）", "en": "Area (ha)"},
    "chart_count": {"zh": "地块数", "en": "Parcels"},
    "no_polygons": {"zh": "没有可分析的面图层。", "en": "No polygon layer to analyse."},
    "tab_export": {"zh": "导出", "en": "Export"},
    "snapshot_title": {"zh": "地图快照（用于方案文本）", "en": "Map snapshot (for proposals)"},
    "map_title": {"zh": "标题", "en": "Title"},
    "map_subtitle": {"zh": "副标题", "en": "Subtitle"},
    "paper": {"zh": "纸张", "en": "Paper"},
    "orientation": {"zh": "方向", "en": "Orientation"},
    "landscape": {"zh": "横向", "en": "Landscape"},
    "portrait": {"zh": "纵向", "en": "Portrait"},
    "format": {"zh": "格式", "en": "Format"},
    "extent": {"zh": "范围", "en": "Extent"},
    "extent_park": {"zh": "整个园区", "en": "The whole park"},
    "extent_layers": {"zh": "已显示图层的范围", "en": "The shown layers"},
    "extent_picked": {"zh": "所点击要素的周边", "en": "Around the clicked feature"},
    "prepare": {"zh": "生成文件", "en": "Make the file"},
    "download": {"zh": "下载 {name}", "en": "Download {name}"},
    "data_title": {"zh": "图层数据", "en": "Layer data"},
    "data_layer": {"zh": "图层", "en": "Layer"},
    "data_encoding": {"zh": "shapefile 编码", "en": "Shapefile encoding"},
    "data_filtered": {
        "zh": "按分析页的筛选导出（{n} 个要素）",
        "en": "As filtered on the Analysis tab ({n} features)",
    },
    "export_error": {"zh": "导出失败：{error}", "en": "Export failed: {error}"},
    "data_dxf": {
        "zh": "DXF：CGCS2000 平面坐标（EPSG:4549，米），每个类别一个图层，地块编号为文字。",
        "en": "DXF: CGCS2000 metres (EPSG:4549), one drawing layer per category, parcel numbers "
        "as texts.",
    },
    "data_gpkg": {
        "zh": "GeoPackage 带有图集的样式（颜色、分类、标注），在 QGIS 中打开即与地图一致。",
        "en": "The GeoPackage carries the atlas' style (colours, categories, labels): QGIS "
        "opens it as the map shows it.",
    },
    "qgis_title": {"zh": "QGIS 工程", "en": "QGIS project"},
    "qgis_help": {
        "zh": "当前显示的图层及其样式和标注、底图，坐标系 EPSG:4549：一个压缩包，内含 "
        "sip-atlas.qgz 与 sip-atlas.gpkg，解压后在 QGIS 中打开 .qgz。",
        "en": "The shown layers with their styles and labels, and the basemap, in EPSG:4549: a "
        "zip of sip-atlas.qgz and sip-atlas.gpkg; unzip it and open the .qgz in QGIS.",
    },
    "qgis_gcj02": {
        "zh": "底图「{name}」为 GCJ-02 坐标，在 QGIS 中会与数据偏差约 500 米，未放入工程；"
        "可改用 OpenStreetMap、浅灰底图或天地图。",
        "en": "The basemap '{name}' is in GCJ-02 and would lie about 500 m off the data in QGIS: "
        "left out of the project. Use OpenStreetMap, Light grey or Tianditu instead.",
    },
    "tab_plans": {"zh": "方案讨论", "en": "Proposals"},
    "sketch_title": {"zh": "新草图", "en": "New sketch"},
    "sketch_measure_area": {
        "zh": "面积：{m2:,.0f} m² ＝ {ha:,.2f} 公顷 ＝ {mu:,.1f} 亩",
        "en": "Area: {m2:,.0f} m² = {ha:,.2f} ha = {mu:,.1f} mu",
    },
    "sketch_measure_length": {"zh": "长度：{m:,.0f} 米", "en": "Length: {m:,.0f} m"},
    "sketch_point": {"zh": "点位", "en": "A point"},
    "sketch_touches": {"zh": "涉及：{names}", "en": "Touches: {names}"},
    "sketch_touches_none": {
        "zh": "未涉及地块、片区或环湖地区",
        "en": "Touches no parcel, district or lake district",
    },
    "proposal_title": {"zh": "标题", "en": "Title"},
    "proposal_kind": {"zh": "类型", "en": "Kind"},
    "proposal_comment": {"zh": "说明", "en": "Comment"},
    "proposal_author": {"zh": "提出人", "en": "Author"},
    "proposal_save": {"zh": "保存为方案", "en": "Save as a proposal"},
    "proposal_saved": {"zh": "已保存方案：{title}", "en": "Proposal saved: {title}"},
    "proposals_title": {"zh": "方案草图", "en": "Proposals"},
    "proposals_empty": {
        "zh": "尚无方案。用地图左上角的绘图工具画一个面、线或点。",
        "en": "No proposals yet. Draw a polygon, line or point with the tools at the map's top left.",
    },
    "proposal_update": {"zh": "保存修改", "en": "Save changes"},
    "proposal_delete": {"zh": "删除方案", "en": "Delete proposal"},
    "proposal_delete_anyway": {
        "zh": "确认删除（并从他人的情景中移除）",
        "en": "Delete it (and take it out of their scenarios)",
    },
    "kind_redevelop": {"zh": "地块再开发", "en": "Redevelop a parcel"},
    "kind_consumption_scene": {"zh": "新消费场景", "en": "New consumption scene"},
    "kind_service_district": {"zh": "新服务功能区", "en": "New service district"},
    "kind_green_space": {"zh": "绿地", "en": "Green space"},
    "kind_other": {"zh": "其他", "en": "Other"},
    "scenarios_title": {"zh": "情景", "en": "Scenarios"},
    "scenario_show": {"zh": "地图上显示的情景", "en": "Scenario on the map"},
    "scenario_none": {"zh": "（现状）", "en": "(as is)"},
    "scenario_name": {"zh": "情景名称", "en": "Scenario name"},
    "scenario_proposals": {"zh": "包含的方案", "en": "Proposals in it"},
    "scenario_parcels": {"zh": "改变状态的地块", "en": "Parcels whose status changes"},
    "scenario_status": {"zh": "改为", "en": "New status"},
    "scenario_save": {"zh": "保存情景", "en": "Save the scenario"},
    "scenario_exists": {
        "zh": "已有名为“{name}”的情景。替换它，还是取消并换一个名称？",
        "en": "A scenario named “{name}” exists. Replace it, or cancel and choose another name?",
    },
    "scenario_replace": {"zh": "替换", "en": "Replace"},
    "cancel": {"zh": "取消", "en": "Cancel"},
    "undo": {"zh": "撤销", "en": "Undo"},
    "duplicate": {"zh": "复制", "en": "Duplicate"},
    "scenario_new_name": {"zh": "新名称（重命名或复制）", "en": "New name (rename or duplicate)"},
    "scenario_item": {
        "zh": "{name} · {n} 个方案 · {m} 个地块状态变更",
        "en": "{name} · proposals: {n} · parcel status changes: {m}",
    },
    "scenario_deleted": {"zh": "已删除情景“{name}”。", "en": "Scenario “{name}” deleted."},
    "proposal_deleted": {
        "zh": "已删除方案“{title}”，并已从以下情景中移除：{names}。",
        "en": "Proposal “{title}” deleted and taken out of these scenarios: {names}.",
    },
    "scenario_none_touched": {"zh": "（无）", "en": "(none)"},
    "scenario_saved": {"zh": "已保存情景：{name}", "en": "Scenario saved: {name}"},
    "compare_title": {"zh": "情景对比", "en": "Compare scenarios"},
    "compare_a": {"zh": "情景 A", "en": "Scenario A"},
    "compare_b": {"zh": "情景 B", "en": "Scenario B"},
    "cmp_measure": {"zh": "指标", "en": "Measure"},
    "cmp_delta": {"zh": "差值（{b} − {a}）", "en": "Difference ({b} − {a})"},
    "cmp_area": {"zh": "{status} 地块面积（公顷）", "en": "{status} parcel area (ha)"},
    "cmp_floor": {"zh": "{status} 建筑面积（万m²）", "en": "{status} floor area (10,000 m²)"},
    "cmp_proposal": {"zh": "{kind} 方案面积（公顷）", "en": "{kind}: proposals' area (ha)"},
    "cmp_proposal_floor": {
        "zh": "{kind} 方案建筑面积（万m²）",
        "en": "{kind}: proposals' floor area (10,000 m²)",
    },
    "proposal_far": {"zh": "容积率（可选）", "en": "FAR (optional)"},
    "cmp_share_parcels": {"zh": "15分钟步行圈内地块占比", "en": "Parcels within 15 minutes' walk"},
    "cmp_share_area": {"zh": "15分钟步行圈内面积占比", "en": "Parcel area within 15 minutes' walk"},
    "plans_error": {"zh": "操作失败：{error}", "en": "That did not work: {error}"},
    "share_hint": {
        "zh": "页面地址已包含当前视图（中心、缩放）、图层、底图、语言与情景，复制地址即可分享。",
        "en": "The page address holds this view (centre, zoom), layers, basemap, language and scenario: copy it to share.",
    },
}

_TEXT |= COMMON_TEXT | UPLOAD_TEXT | WALK_TEXT


def t(key: str, lang: Lang, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    return _TEXT[key][lang].format(**values)


# What cleaning an upload did to a feature (geo.uploads.repair, .place), in Chinese.
_CHANGES_ZH = {
    "dropped: empty or missing geometry": "已剔除：几何为空或缺失",
    "dropped: coordinates that are NaN or infinite": "已剔除：坐标为 NaN 或无穷大",
    "dropped: not a polygon": "已剔除：不是面要素", "dropped: not a line": "已剔除：不是线要素",
    "dropped: not a point": "已剔除：不是点要素",
    "kept only the polygon parts": "仅保留面部分", "kept only the line parts": "仅保留线部分",
    "kept only the point parts": "仅保留点部分",
    "repaired: invalid geometry (make_valid)": "已修复：无效几何（make_valid）",
    "dropped: invalid, nothing usable after repair": "已剔除：几何无效，修复后无可用部分",
    "dropped: coordinates out of lon/lat range": "已剔除：坐标超出经纬度范围",
}  # fmt: skip


def change_text(change: str, lang: Lang) -> str:
    """A feature change of the upload report in ``lang``."""
    return _CHANGES_ZH.get(change, change) if lang == "zh" else change


# The drawing tools' texts that Leaflet.draw lets us set (paths under L.drawLocal.draw).
DRAW_TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "toolbar.buttons.polygon": "绘制多边形", "toolbar.buttons.rectangle": "绘制矩形",
        "toolbar.buttons.polyline": "绘制折线", "toolbar.buttons.circlemarker": "标注点位",
        "toolbar.actions.title": "取消绘制", "toolbar.actions.text": "取消",
        "toolbar.finish.title": "完成绘制", "toolbar.finish.text": "完成",
        "toolbar.undo.title": "删除最后绘制的点", "toolbar.undo.text": "删除最后一个点",
        "handlers.polygon.tooltip.start": "单击开始绘制多边形。",
        "handlers.polygon.tooltip.cont": "单击继续绘制。",
        "handlers.polygon.tooltip.end": "单击第一个点闭合图形。",
        "handlers.polyline.tooltip.start": "单击开始绘制折线。",
        "handlers.polyline.tooltip.cont": "单击继续绘制。",
        "handlers.polyline.tooltip.end": "单击最后一个点结束。",
        "handlers.polyline.error": "<strong>错误：</strong>图形边线不能相交！",
        "handlers.rectangle.tooltip.start": "按住并拖动以绘制矩形。",
        "handlers.simpleshape.tooltip.end": "松开鼠标完成绘制。",
        "handlers.circlemarker.tooltip.start": "单击地图放置点位。",
    },
    "en": {
        "toolbar.buttons.polygon": "Draw a polygon", "toolbar.buttons.rectangle": "Draw a rectangle",
        "toolbar.buttons.polyline": "Draw a line", "toolbar.buttons.circlemarker": "Mark a point",
        "toolbar.actions.title": "Cancel drawing", "toolbar.actions.text": "Cancel",
        "toolbar.finish.title": "Finish drawing", "toolbar.finish.text": "Finish",
        "toolbar.undo.title": "Delete the last point drawn", "toolbar.undo.text": "Delete last point",
        "handlers.polygon.tooltip.start": "Click to start drawing the polygon.",
        "handlers.polygon.tooltip.cont": "Click to continue drawing.",
        "handlers.polygon.tooltip.end": "Click the first point to close the shape.",
        "handlers.polyline.tooltip.start": "Click to start drawing the line.",
        "handlers.polyline.tooltip.cont": "Click to continue drawing.",
        "handlers.polyline.tooltip.end": "Click the last point to finish.",
        "handlers.polyline.error": "<strong>Error:</strong> the shape's edges cannot cross!",
        "handlers.rectangle.tooltip.start": "Press and drag to draw the rectangle.",
        "handlers.simpleshape.tooltip.end": "Release the mouse to finish.",
        "handlers.circlemarker.tooltip.start": "Click the map to place the point.",
    },
}  # fmt: skip

# CommonMark's inline syntax and Streamlit's own (:red[...], :material/icon:, $math$) ...
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()!|~:$])")
# ... and what starts a heading, list or quote at the start of the text.
_LINE_START = re.compile(r"^(\s*)([#+\-])|^(\s*\d+)([.)])")


def _escape_start(match: re.Match) -> str:
    lead, mark = (match[1], match[2]) if match[2] else (match[3], match[4])
    return f"{lead}\\{mark}"


def md(text: object) -> str:
    """``text`` (a planner's or a file's own words) as Markdown that shows exactly that text:
    no links, images, emphasis, HTML or Streamlit directives. Line breaks become spaces."""
    plain = " ".join(str(text).split("\n"))
    escaped = _LINE_START.sub(_escape_start, _MARKDOWN.sub(r"\\\1", plain))
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def has_text(key: str) -> bool:
    """Whether the interface has a text called ``key``."""
    return key in _TEXT


def t_md(key: str, lang: Lang, **values: object) -> str:
    """``t`` for text shown as Markdown: the filled-in values (names, messages) are escaped
    with ``md``, numbers are formatted as the template says."""
    safe = {k: v if isinstance(v, int | float) else md(v) for k, v in values.items()}
    return _TEXT[key][lang].format(**safe)


_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def download_name(title: str, suffix: str, day: date | None = None) -> str:
    """A downloaded file's name: its title (a map's title, a layer's name) and the day, e.g.
    '苏州工业园区规划图集-2026-11-26.png'; characters no file system takes become '_'."""
    stem = _UNSAFE_IN_NAMES.sub("_", title.strip()).strip("._")[:60] or "sip-atlas"
    return f"{stem}-{(day or date.today()).isoformat()}{suffix}"
